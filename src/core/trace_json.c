/*
 * trace_json.c - one JSON object per event, for `trace json`.  The fields
 * are documented in iomux(1), TRACE FORMAT; absent values are omitted.
 */
#include <string.h>

#include "iomux.h"

static void
json_string(FILE *f, const char *p, size_t n)
{
	size_t	 i;

	fputc('"', f);
	for (i = 0; i < n; i++) {
		unsigned char	 c = (unsigned char)p[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void
json_items(FILE *f, const struct tev *e)
{
	int	 i;

	fputs(",\"items\":[", f);
	for (i = 0; i < e->nitems; i++)
		fprintf(f, "%s{\"fd\":%d,\"ev\":%u,\"out\":%s}", i ? "," : "",
		    e->items[i].fd, e->items[i].ev & ~TI_OUT,
		    e->items[i].ev & TI_OUT ? "true" : "false");
	fprintf(f, "],\"items_total\":%u", e->total);
}

/* extra is a ready-made list of fields (",\"wait_ns\":..."), or NULL. */
void
trace_print_json(FILE *f, const struct tev *e, uint64_t base,
    const char *extra)
{
	fprintf(f, "{\"t_ns\":%llu,\"pid\":%d,\"tid\":%d,\"site\":\"%s:%d\","
	    "\"call\":\"%s\",\"fd\":%d,\"args\":[%lld,%lld,%lld],"
	    "\"ret\":%lld,\"dur_ns\":%llu",
	    (unsigned long long)(e->t_ns > base ? e->t_ns - base : 0),
	    e->pid, e->tid, trace_site(e->file), e->line,
	    trace_call_name(e->call), e->fd, (long long)e->a[0],
	    (long long)e->a[1], (long long)e->a[2], (long long)e->ret,
	    (unsigned long long)e->dur_ns);
	if (e->ret < 0 && e->err != 0)
		fprintf(f, ",\"errno\":\"%s\"", strerrorname_np(e->err));
	if (e->flags & TEV_ARRIVAL)
		fprintf(f, ",\"arrival_ns\":%llu", (unsigned long long)
		    (e->arrival_ns > base ? e->arrival_ns - base : 0));
	if (e->flags & TEV_INQ)
		fprintf(f, ",\"inq\":%d", e->inq);
	if (e->flags & TEV_DATA) {
		fputs(",\"data\":", f);
		json_string(f, e->text, e->nitems);
	} else if (e->flags & TEV_ITEMS_OUT || e->nitems > 0)
		json_items(f, e);
	if (extra != NULL)
		fputs(extra, f);
	fputs("}\n", f);
}
