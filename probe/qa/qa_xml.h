/*
 * qa_xml.h - text into XML and HTML, escaped (qa_xml.c), for the JUnit and
 * HTML reports of `cyanprobe qa`.
 */
#ifndef QA_XML_H
#define QA_XML_H

#include <stdio.h>

/*
 * Write s escaped for XML/HTML text and attribute values: & < > " ' as
 * entities, control characters that XML 1.0 forbids dropped.
 */
void	qa_xml_text(FILE *f, const char *s);

#endif /* QA_XML_H */
