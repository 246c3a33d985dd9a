/* words.h: small pieces of scenario text shared by the loaders: trimming,
 * splitting a list at commas, and one "name:p" entry (routes, mixes,
 * pathway branches). Domain-free: the loaders say what a name may be.
 *
 * Every function works in place on a caller's buffer: no allocation. */
#ifndef SIM_WORDS_H
#define SIM_WORDS_H

#include <stddef.h>

/* Removes leading and trailing blanks (spaces, tabs) in place; returns s
 * moved past the leading ones. */
char *sim_words_trim(char *s);

/* The next comma-separated item of *rest, trimmed, or NULL at the end;
 * *rest moves past it. The buffer is cut at the commas. */
char *sim_words_next_item(char **rest);

/* One entry "name" or "name:p", trimmed: *name is the name (no blanks or
 * colons, not empty), *p the number after the colon (default 1), which
 * must be a finite decimal from 0 to 1. 0, or -1 if malformed. The entry
 * is cut in place. */
int sim_words_share(char *entry, char **name, double *p);

/* The words of s (blank-separated), cut in place: at most max, into
 * word[]; returns how many, or -1 if there are more than max. */
int sim_words_split(char *s, char **word, int max);

/* Appends `item` to the list of `used` characters in buf (len bytes),
 * after ", " unless the list is empty; returns the new length. A list
 * that no longer fits is cut short (and stays NUL-terminated); once
 * the returned length reaches len, later items are dropped. For the
 * "allowed: a, b, c" of messages. */
size_t sim_words_append(char *buf, size_t len, size_t used, const char *item);

#endif
