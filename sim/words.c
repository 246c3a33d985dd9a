/* words.c: trimming and splitting scenario text in place. */
#include "words.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int blank(char c) { return c == ' ' || c == '\t'; }

char *sim_words_trim(char *s)
{
    while (blank(*s))
        s++;
    char *end = s + strlen(s);
    while (end > s && blank(end[-1]))
        *--end = '\0';
    return s;
}

char *sim_words_next_item(char **rest)
{
    char *item = *rest;
    if (!item)
        return NULL;
    char *comma = strchr(item, ',');
    if (comma) {
        *comma = '\0';
        *rest = comma + 1;
    } else {
        *rest = NULL;
    }
    return sim_words_trim(item);
}

int sim_words_share(char *entry, char **name, double *p)
{
    char *colon = strchr(entry, ':');
    *p = 1.0;
    if (colon) {
        *colon = '\0';
        char *num = sim_words_trim(colon + 1), *end;
        errno = 0;
        *p = strtod(num, &end);
        if (end == num || *end != '\0' || errno == ERANGE || !(*p >= 0 && *p <= 1))
            return -1;
    }
    *name = sim_words_trim(entry);
    return **name && strcspn(*name, " \t:") == strlen(*name) ? 0 : -1;
}

int sim_words_split(char *s, char **word, int max)
{
    int n = 0;
    for (char *save = NULL, *w = strtok_r(s, " \t", &save); w;
         w = strtok_r(NULL, " \t", &save)) {
        if (n == max)
            return -1;
        word[n++] = w;
    }
    return n;
}

size_t sim_words_append(char *buf, size_t len, size_t used, const char *item)
{
    if (used >= len)
        return used;
    int w = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", item);
    return used + (w > 0 ? (size_t)w : 0);
}
