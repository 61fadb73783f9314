/*
 * qa_xml.c - escape text for XML and HTML (qa_xml.h).  Evidence comes from
 * the network (a portal's page, a DNS name), so nothing is written raw.
 */
#include "qa_xml.h"

void
qa_xml_text(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			/* XML 1.0 allows no C0 control but tab, LF and CR. */
			if ((unsigned char)*s >= 0x20 || *s == '\t' ||
			    *s == '\n' || *s == '\r')
				fputc(*s, f);
		}
	}
}
