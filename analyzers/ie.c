/*
 * ie.c - walk 802.11 information elements and decode the ones that decide
 * whether a device can join (IEEE Std 802.11-2020, 9.4.2).  The walker is
 * hostap's for_each_element over a cursor: the bounds check is the loop
 * condition and ie_iter_completed() detects a buffer that did not end on an
 * element boundary.  Dispatch is an iw-style table indexed by element id
 * with the length range the standard allows; a handler is only called with
 * a length inside its row's range, and still reads its body through a
 * sub-cursor, so a wrong row cannot make it read outside the element.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cursor.h"
#include "ie.h"

#define VENDOR_TYPE_WPA		1	/* 00:50:f2 */
#define VENDOR_TYPE_WPS		4	/* 00:50:f2 */
#define VENDOR_TYPE_OWE_TRANS	28	/* 50:6f:9a */

#define HE_OP_VHT_INFO		0x004000	/* HE Operation Parameters */
#define HE_OP_COHOSTED		0x008000
#define HE_OP_6GHZ_INFO		0x020000

void
ie_iter_init(struct ie_iter *it, const uint8_t *buf, size_t len)
{
	memset(it, 0, sizeof(*it));
	it->c = cur_init(buf, len);
}

bool
ie_iter_next(struct ie_iter *it)
{
	struct cursor save = it->c;
	const uint8_t *body;

	if (cur_left(&it->c) < 2)
		return false;
	it->elem.id = cur_u8(&it->c);
	it->elem.len = cur_u8(&it->c);
	if (!cur_take(&it->c, it->elem.len, &body)) {
		/*
		 * The element overruns the buffer: keep the cursor where it
		 * stood so ie_iter_completed() sees the leftover bytes.
		 */
		it->c = save;
		it->c.bad = true;
		return false;
	}
	it->elem.data = body;
	return true;
}

bool
ie_iter_completed(const struct ie_iter *it)
{
	return !it->c.bad && it->c.left == 0;
}

static void
view_set(struct ie_view *v, const uint8_t *p, size_t len)
{
	v->p = p;
	v->len = len;
}

/* A present element that could not be decoded: unknown, not absent. */
static void
mark_malformed(struct ie_info *ie, uint8_t id, uint16_t mal)
{
	if (ie->n_bad_len++ == 0)
		ie->first_bad_id = id;
	ie->malformed |= mal;
}

static void
h_ssid(struct cursor *c, struct ie_info *ie)
{
	size_t i, len = cur_left(c);
	const uint8_t *p;

	if (ie->ssid.form != IE_SSID_ABSENT || !cur_take(c, len, &p))
		return;
	view_set(&ie->ssid.v, p, len);
	if (len == 0) {
		ie->ssid.form = IE_SSID_EMPTY;
		ie->ssid.v.p = p;
		return;
	}
	ie->ssid.form = IE_SSID_ZEROED;
	for (i = 0; i < len; i++)
		if (p[i] != 0) {
			ie->ssid.form = IE_SSID_VISIBLE;
			break;
		}
}

/* Rates of one Supported or Extended Supported Rates element. */
static void
add_rates(struct cursor *c, struct ie_rates *r)
{
	while (cur_left(c) > 0) {
		uint8_t v = cur_u8(c);

		/* Membership selectors carry the basic bit (9.4.2.3). */
		if (v & 0x80) {
			switch (v & 0x7f) {
			case IE_SEL_HT_PHY:
				r->selectors |= IE_RSEL_HT;
				continue;
			case IE_SEL_VHT_PHY:
				r->selectors |= IE_RSEL_VHT;
				continue;
			case IE_SEL_HE_PHY:
				r->selectors |= IE_RSEL_HE;
				continue;
			case IE_SEL_EHT_PHY:
				r->selectors |= IE_RSEL_EHT;
				continue;
			case IE_SEL_SAE_H2E:
				r->selectors |= IE_RSEL_SAE_H2E;
				continue;
			case IE_SEL_GLK:
			case IE_SEL_EPD:
				r->selectors |= IE_RSEL_OTHER;
				continue;
			default:
				break;
			}
		}
		if (r->n < IE_RATES_MAX)
			r->rate[r->n++] = v;
		else if (r->dropped < UINT8_MAX)
			r->dropped++;	/* counted: basic ones may be here */
	}
}

static void
h_rates(struct cursor *c, struct ie_info *ie)
{
	/*
	 * The first non-empty one counts: some devices send an empty Supported
	 * Rates element before the real one (noted in tcpdump).
	 */
	if (ie->rates.has_supported || cur_left(c) == 0)
		return;
	ie->rates.has_supported = true;
	add_rates(c, &ie->rates);
}

static void
h_ext_rates(struct cursor *c, struct ie_info *ie)
{
	if (ie->rates.has_extended)
		return;
	ie->rates.has_extended = true;
	add_rates(c, &ie->rates);
}

static void
h_ds(struct cursor *c, struct ie_info *ie)
{
	if (ie->has_ds)
		return;
	ie->ds_channel = cur_u8(c);
	ie->has_ds = !c->bad;
}

static void
h_country(struct cursor *c, struct ie_info *ie)
{
	struct ie_country *co = &ie->country;

	if (co->present)
		return;
	co->code[0] = (char)cur_u8(c);
	co->code[1] = (char)cur_u8(c);
	co->code[2] = '\0';
	co->environment = cur_u8(c);
	if (c->bad)
		return;
	co->present = true;
	/* Triplets; a single pad byte may end the element (9.4.2.8). */
	while (cur_left(c) >= 3) {
		struct ie_country_triplet t;

		t.first = cur_u8(c);
		t.count = cur_u8(c);
		t.max_power = cur_u8(c);
		if (co->n < IE_COUNTRY_TRIPLETS_MAX)
			co->t[co->n++] = t;
	}
	/* Two bytes left are a triplet cut off, not padding. */
	if (cur_left(c) == 2) {
		co->truncated = true;
		ie->truncated = true;
	}
}

static void
h_erp(struct cursor *c, struct ie_info *ie)
{
	if (ie->has_erp)
		return;
	ie->erp = cur_u8(c);
	ie->has_erp = !c->bad;
}

static void
h_ht_cap(struct cursor *c, struct ie_info *ie)
{
	struct ie_ht_cap *h = &ie->ht_cap;

	if (h->present)
		return;
	h->info = cur_le16(c);
	h->ampdu = cur_u8(c);
	cur_copy(c, h->mcs, sizeof(h->mcs));
	h->present = !c->bad;
}

static void
h_ht_op(struct cursor *c, struct ie_info *ie)
{
	struct ie_ht_op *h = &ie->ht_op;
	uint8_t b;

	if (h->present)
		return;
	h->primary_channel = cur_u8(c);
	b = cur_u8(c);
	if (c->bad)
		return;
	h->present = true;
	h->sec_offset = b & 0x03;
	h->any_width = (b & 0x04) != 0;
	h->width_mhz = 20;
	if (h->sec_offset == IE_HT_SEC_ABOVE && h->primary_channel <= 251) {
		h->secondary_channel = (uint8_t)(h->primary_channel + 4);
		h->width_mhz = 40;
	} else if (h->sec_offset == IE_HT_SEC_BELOW &&
	    h->primary_channel > 4) {
		h->secondary_channel = (uint8_t)(h->primary_channel - 4);
		h->width_mhz = 40;
	}
	/* A secondary channel without STA Channel Width is still 20 MHz. */
	if (!h->any_width)
		h->width_mhz = 20;
}

static void
h_vht_cap(struct cursor *c, struct ie_info *ie)
{
	if (ie->has_vht_cap)
		return;
	ie->vht_cap = cur_le32(c);
	ie->has_vht_cap = !c->bad;
}

static void
h_vht_op(struct cursor *c, struct ie_info *ie)
{
	struct ie_vht_op *v = &ie->vht_op;
	unsigned diff;

	if (v->present)
		return;
	v->width = cur_u8(c);
	v->seg0 = cur_u8(c);
	v->seg1 = cur_u8(c);
	if (c->bad)
		return;
	v->present = true;
	switch (v->width) {
	case IE_VHT_WIDTH_80_160:
		/* 9.4.2.158 Table 9-274: seg1 8 away is 160, further 80+80. */
		diff = v->seg1 > v->seg0 ? (unsigned)(v->seg1 - v->seg0) :
		    (unsigned)(v->seg0 - v->seg1);
		v->width_mhz = v->seg1 != 0 && diff >= 8 ? 160 : 80;
		break;
	case IE_VHT_WIDTH_160:
	case IE_VHT_WIDTH_80P80:
		v->width_mhz = 160;
		break;
	default:
		v->width_mhz = 0;	/* 20 or 40: HT Operation says */
		break;
	}
}

static void
h_he_op(struct cursor *c, struct ie_info *ie)
{
	struct ie_he_op *h = &ie->he_op;
	uint32_t p;

	if (h->present)
		return;
	p = cur_u8(c);
	p |= (uint32_t)cur_u8(c) << 8;
	p |= (uint32_t)cur_u8(c) << 16;
	h->bss_color = cur_u8(c) & 0x3f;
	cur_skip(c, 2);				/* Basic HE-MCS And NSS Set */
	if (c->bad) {
		/* Shorter than its fixed fields: present, not decoded. */
		h->truncated = true;
		ie->truncated = true;
		mark_malformed(ie, EID_EXTENSION, IE_MAL_HE_OP);
		return;
	}
	h->present = true;
	h->params = p;
	if (p & HE_OP_VHT_INFO)
		cur_skip(c, 3);
	if (p & HE_OP_COHOSTED)
		cur_skip(c, 1);
	if (p & HE_OP_6GHZ_INFO) {
		uint8_t prim = cur_u8(c), ctl = cur_u8(c);
		uint8_t c0 = cur_u8(c), c1 = cur_u8(c);

		if (!c->bad) {
			h->has_6ghz = true;
			h->primary_6ghz = prim;
			h->width_6ghz = ctl & 0x03;
			h->ccfs0 = c0;
			h->ccfs1 = c1;
		}
	}
	/*
	 * The parameters announce parts the element does not hold: what
	 * they would say (a 6 GHz channel) is unknown, not absent.
	 */
	if (c->bad) {
		h->truncated = true;
		ie->truncated = true;
	}
}

/*
 * Element id extensions, with the shortest body (after the extension id)
 * each may have: HE Capabilities holds 6 MAC and 11 PHY capability bytes
 * and at least one 4-byte HE-MCS map (9.4.2.248), EHT Capabilities 2 MAC,
 * 9 PHY and at least one 3-byte EHT-MCS map (9.4.2.313), EHT Operation its
 * parameters and 4-byte basic EHT-MCS set (9.4.2.311); HE Operation checks
 * its own, announced, parts.
 */
static void
h_extension(struct cursor *c, struct ie_info *ie)
{
	uint8_t ext = cur_u8(c);
	size_t left = cur_left(c);

	switch (ext) {
	case EID_EXT_HE_CAP:
		if (left < 21)
			mark_malformed(ie, EID_EXTENSION, IE_MAL_HE_CAP);
		else
			ie->has_he_cap = true;
		break;
	case EID_EXT_HE_OPERATION:
		h_he_op(c, ie);
		break;
	case EID_EXT_EHT_CAP:
		if (left < 14)
			mark_malformed(ie, EID_EXTENSION, IE_MAL_EHT_CAP);
		else
			ie->has_eht_cap = true;
		break;
	case EID_EXT_EHT_OPERATION:
		if (left < 5)
			mark_malformed(ie, EID_EXTENSION, IE_MAL_EHT_OP);
		else
			ie->has_eht_op = true;
		break;
	default:
		break;
	}
}

static uint32_t
read_suite(struct cursor *c)
{
	uint32_t oui;

	oui = (uint32_t)cur_u8(c) << 16;
	oui |= (uint32_t)cur_u8(c) << 8;
	oui |= cur_u8(c);
	return IE_SUITE(oui, cur_u8(c));
}

/*
 * A suite list: count, then count suites.  Returns false when the element
 * ends inside it (then `truncated`: the suites read so far are kept).
 */
static bool
read_suites(struct cursor *c, uint16_t *n, uint32_t *out, bool *trunc,
    uint32_t *types)
{
	uint16_t count, i;

	count = cur_le16(c);
	if (c->bad) {
		*trunc = true;
		return false;
	}
	*n = 0;
	for (i = 0; i < count; i++) {
		uint32_t s;

		if (cur_left(c) < 4) {
			*trunc = true;
			return false;
		}
		s = read_suite(c);
		if (*n < IE_SUITES_MAX)
			out[*n] = s;
		(*n)++;
		/* Past IE_SUITES_MAX a suite is not kept, but still seen. */
		if (types != NULL && (s >> 8 == IE_OUI_IEEE ||
		    s >> 8 == IE_OUI_MS) && (s & 0xff) < 32)
			*types |= 1u << (s & 0xff);
	}
	return true;
}

int
ie_parse_rsn(const uint8_t *body, size_t len, struct ie_rsn *out)
{
	struct cursor c = cur_init(body, len);

	memset(out, 0, sizeof(*out));
	out->version = cur_le16(&c);
	if (c.bad) {
		out->truncated = true;
		return -1;
	}
	out->present = true;
	/*
	 * Every field after the version is optional, but only whole fields
	 * may be left out (9.4.2.24.1): ending between fields is valid,
	 * ending inside one is truncation.
	 */
	if (cur_left(&c) == 0)
		return 0;
	if (cur_left(&c) < 4)
		goto trunc;
	out->group = read_suite(&c);
	out->has_group = true;
	if (cur_left(&c) == 0)
		return 0;
	out->has_pairwise = true;
	if (!read_suites(&c, &out->n_pairwise, out->pairwise, &out->truncated,
	    NULL))
		goto trunc;
	if (cur_left(&c) == 0)
		return 0;
	out->has_akm = true;
	if (!read_suites(&c, &out->n_akm, out->akm, &out->truncated,
	    &out->akm_types)) {
		out->akm_cut = true;
		goto trunc;
	}
	if (cur_left(&c) == 0)
		return 0;
	out->caps = cur_le16(&c);
	if (c.bad)
		goto trunc;
	out->has_caps = true;
	/* PMKID list and group management cipher are not needed here. */
	return 0;
trunc:
	out->truncated = true;
	return -1;
}

static void
h_rsn(struct cursor *c, struct ie_info *ie)
{
	if (ie->rsn.present)
		return;
	/* A suite count running past the element is an overrun too. */
	if (ie_parse_rsn(c->p, cur_left(c), &ie->rsn) != 0)
		ie->truncated = true;
}

/*
 * WPS data larger than one element is split over consecutive vendor
 * elements, each with its own OUI and type, and an attribute may straddle
 * two of them (WSC 2.0, 8.2).  This reader walks the fragments as one
 * stream.  A value inside one fragment comes back as a view; a value that
 * straddles comes back as NULL with success, since a view cannot hold it.
 */
#define WPS_FRAGS_MAX	8

struct wps_stream {
	const struct ie_view *frag;
	size_t		 nfrag;
	size_t		 i;		/* current fragment */
	struct cursor	 c;		/* inside frag[i] */
};

static bool
wps_next_frag(struct wps_stream *ws)
{
	while (cur_left(&ws->c) == 0) {
		if (ws->i + 1 >= ws->nfrag)
			return false;
		ws->i++;
		ws->c = cur_init(ws->frag[ws->i].p, ws->frag[ws->i].len);
	}
	return true;
}

static bool
wps_u16(struct wps_stream *ws, uint16_t *v)
{
	uint8_t hi, lo;

	if (!wps_next_frag(ws))
		return false;
	hi = cur_u8(&ws->c);
	if (!wps_next_frag(ws))
		return false;
	lo = cur_u8(&ws->c);
	*v = (uint16_t)(hi << 8 | lo);
	return true;
}

/* Take n bytes: a view when they lie in one fragment, else *p = NULL. */
static bool
wps_take(struct wps_stream *ws, size_t n, const uint8_t **p)
{
	*p = NULL;
	if (n == 0)
		return true;
	if (!wps_next_frag(ws))
		return false;
	if (cur_left(&ws->c) >= n)
		return cur_take(&ws->c, n, p);
	while (n > 0) {
		size_t k;

		if (!wps_next_frag(ws))
			return false;
		k = cur_left(&ws->c) < n ? cur_left(&ws->c) : n;
		cur_skip(&ws->c, k);
		n -= k;
	}
	*p = NULL;
	return true;
}

static int
parse_wps_frags(const struct ie_view *frag, size_t nfrag, struct ie_wps *out)
{
	struct wps_stream ws;

	memset(out, 0, sizeof(*out));
	memset(&ws, 0, sizeof(ws));
	if (nfrag == 0)
		return -1;
	out->present = true;
	ws.frag = frag;
	ws.nfrag = nfrag;
	ws.c = cur_init(frag[0].p, frag[0].len);
	/* Big-endian type/length/value attributes (WSC 2.0, 12). */
	while (wps_next_frag(&ws)) {
		uint16_t type, alen;
		const uint8_t *v;

		if (!wps_u16(&ws, &type) || !wps_u16(&ws, &alen) ||
		    !wps_take(&ws, alen, &v)) {
			out->truncated = true;
			return -1;
		}
		if (v == NULL)
			continue;	/* straddles two fragments */
		switch (type) {
		case WPS_ATTR_MANUFACTURER:
			view_set(&out->manufacturer, v, alen);
			break;
		case WPS_ATTR_MODEL_NAME:
			view_set(&out->model_name, v, alen);
			break;
		case WPS_ATTR_MODEL_NUMBER:
			view_set(&out->model_number, v, alen);
			break;
		case WPS_ATTR_DEVICE_NAME:
			view_set(&out->device_name, v, alen);
			break;
		case WPS_ATTR_STATE:
			if (alen >= 1) {
				out->state = v[0];
				out->has_state = true;
			}
			break;
		default:
			break;
		}
	}
	return 0;
}

int
ie_parse_wps(const uint8_t *body, size_t len, struct ie_wps *out)
{
	struct ie_view one;

	one.p = body;
	one.len = len;
	return parse_wps_frags(&one, 1, out);
}

/* True for a vendor element carrying WPS (00:50:f2 type 4). */
static bool
is_wps(const struct ie_elem *e)
{
	return e->id == EID_VENDOR && e->len >= 4 && e->data[0] == 0x00 &&
	    e->data[1] == 0x50 && e->data[2] == 0xf2 &&
	    e->data[3] == VENDOR_TYPE_WPS;
}

static void
h_vendor(struct cursor *c, struct ie_info *ie)
{
	uint32_t oui;
	uint8_t type;

	oui = (uint32_t)cur_u8(c) << 16;
	oui |= (uint32_t)cur_u8(c) << 8;
	oui |= cur_u8(c);
	type = cur_u8(c);
	if (c->bad)
		return;
	if (oui == IE_OUI_MS && type == VENDOR_TYPE_WPA && !ie->wpa.present) {
		if (ie_parse_rsn(c->p, cur_left(c), &ie->wpa) != 0)
			ie->truncated = true;
	} else if (oui == IE_OUI_WFA && type == VENDOR_TYPE_OWE_TRANS)
		ie->has_owe_transition = true;
}

static void
h_mesh_id(struct cursor *c, struct ie_info *ie)
{
	const uint8_t *p;
	size_t len = cur_left(c);

	if (ie->has_mesh_id || !cur_take(c, len, &p))
		return;
	view_set(&ie->mesh_id, p, len);
	ie->has_mesh_id = true;
}

static void
h_mesh_config(struct cursor *c, struct ie_info *ie)
{
	(void)c;
	ie->has_mesh_config = true;
}

/*
 * The element table, iw's ieprinters[] with hostap's length limits: the
 * handler runs only when min <= len <= max.  Lengths are the standard's
 * (9.4.2), widened where real devices are known to differ: Supported
 * Rates may be empty (tcpdump) or longer than 8; Country may omit its
 * triplets; HT Capabilities and HT Operation, like hostap, only need their
 * fixed fields (a longer one is read, the rest ignored).  A length out of
 * range on a row with a `mal` bit records the element as malformed.
 */
struct ie_desc {
	const char	*name;
	void		(*fn)(struct cursor *, struct ie_info *);
	uint8_t		 min;
	uint8_t		 max;
	uint16_t	 mal;		/* IE_MAL_* when its length is bad */
};

static const struct ie_desc ie_table[256] = {
	[EID_SSID]		= { "SSID", h_ssid, 0, 32 },
	[EID_SUPP_RATES]	= { "Supported Rates", h_rates, 0, 255 },
	[2]			= { "FH Parameter Set", NULL, 5, 5 },
	[EID_DS_PARAMS]		= { "DS Parameter Set", h_ds, 1, 1, IE_MAL_DS },
	[EID_CF_PARAMS]		= { "CF Parameter Set", NULL, 6, 6 },
	[EID_TIM]		= { "TIM", NULL, 4, 254 },
	[EID_IBSS_PARAMS]	= { "IBSS Parameter Set", NULL, 2, 2 },
	[EID_COUNTRY]		= { "Country", h_country, 3, 255 },
	[16]			= { "Challenge text", NULL, 1, 253 },
	[32]			= { "Power Constraint", NULL, 1, 1 },
	[35]			= { "TPC Report", NULL, 2, 2 },
	[37]			= { "Channel Switch Announcement", NULL, 3, 3 },
	[EID_ERP]		= { "ERP", h_erp, 1, 255, IE_MAL_ERP },
	[EID_HT_CAP]		= { "HT Capabilities", h_ht_cap, 26, 255,
				    IE_MAL_HT_CAP },
	/* Shorter than its version: h_rsn marks it truncated, not absent. */
	[EID_RSN]		= { "RSN", h_rsn, 0, 255 },
	[EID_EXT_SUPP_RATES]	= { "Extended Supported Rates", h_ext_rates,
				    1, 255, IE_MAL_RATES },
	[EID_MOBILITY_DOMAIN]	= { "Mobility Domain", NULL, 3, 3 },
	[EID_HT_OPERATION]	= { "HT Operation", h_ht_op, 22, 255,
				    IE_MAL_HT_OP },
	[EID_RM_ENABLED_CAP]	= { "RM Enabled Capabilities", NULL, 5, 5 },
	[EID_MESH_CONFIG]	= { "Mesh Configuration", h_mesh_config, 7, 7 },
	[EID_MESH_ID]		= { "Mesh ID", h_mesh_id, 0, 32 },
	[EID_EXT_CAP]		= { "Extended Capabilities", NULL, 1, 255 },
	[EID_VHT_CAP]		= { "VHT Capabilities", h_vht_cap, 12, 12,
				    IE_MAL_VHT_CAP },
	[EID_VHT_OPERATION]	= { "VHT Operation", h_vht_op, 5, 5,
				    IE_MAL_VHT_OP },
	[EID_VENDOR]		= { "Vendor Specific", h_vendor, 3, 255 },
	[EID_EXTENSION]		= { "Element Extension", h_extension, 1, 255 },
};

int
ie_parse(const uint8_t *buf, size_t len, struct ie_info *out)
{
	struct ie_iter it;
	struct ie_view wps[WPS_FRAGS_MAX];
	size_t nwps = 0;
	bool prev_wps = false, wps_done = false;
	struct cursor rest;

	memset(out, 0, sizeof(*out));
	ie_for_each(&it, buf, len) {
		const struct ie_desc *d = &ie_table[it.elem.id];
		struct cursor body;

		out->n_elems++;
		/*
		 * WPS is gathered here, not in h_vendor(): only a run of
		 * consecutive WPS elements is one WPS element; a later,
		 * separate one is ignored like any repeated element.
		 */
		if (is_wps(&it.elem)) {
			if (!wps_done && nwps < WPS_FRAGS_MAX) {
				wps[nwps].p = it.elem.data + 4;
				wps[nwps].len = it.elem.len - 4u;
				nwps++;
			}
			prev_wps = true;
			continue;
		}
		if (prev_wps)
			wps_done = true;
		prev_wps = false;
		if (d->name == NULL)
			continue;
		if (it.elem.len < d->min || it.elem.len > d->max) {
			mark_malformed(out, it.elem.id, d->mal);
			continue;
		}
		if (d->fn == NULL)
			continue;
		body = cur_init(it.elem.data, it.elem.len);
		d->fn(&body, out);
	}
	if (nwps > 0 && parse_wps_frags(wps, nwps, &out->wps) != 0)
		out->truncated = true;
	if (!ie_iter_completed(&it)) {
		out->truncated = true;
		out->walk_cut = true;
		/* ie_iter_next() left the cursor on the cut element's id. */
		rest = cur_init(it.c.p, it.c.left);
		if (cur_left(&rest) > 0) {
			out->has_cut_id = true;
			out->cut_id = cur_u8(&rest);
		}
		return -1;
	}
	return out->truncated ? -1 : 0;
}

const char *
ie_name(uint8_t id)
{
	return ie_table[id].name != NULL ? ie_table[id].name : "unknown";
}

const char *
ie_malformed_name(unsigned bit)
{
	switch (bit) {
	case IE_MAL_RATES:	return "Extended Supported Rates";
	case IE_MAL_DS:		return "DS Parameter Set";
	case IE_MAL_ERP:	return "ERP";
	case IE_MAL_HT_CAP:	return "HT Capabilities";
	case IE_MAL_HT_OP:	return "HT Operation";
	case IE_MAL_VHT_CAP:	return "VHT Capabilities";
	case IE_MAL_VHT_OP:	return "VHT Operation";
	case IE_MAL_HE_CAP:	return "HE Capabilities";
	case IE_MAL_HE_OP:	return "HE Operation";
	case IE_MAL_EHT_CAP:	return "EHT Capabilities";
	case IE_MAL_EHT_OP:	return "EHT Operation";
	default:		return NULL;
	}
}

const char *
ie_cipher_name(uint32_t suite)
{
	uint32_t oui = suite >> 8;
	uint8_t type = suite & 0xff;

	if (oui == IE_OUI_MS) {
		/* WPA's suites reuse RSN's numbers for these four. */
		if (type != IE_CIPHER_WEP40 && type != IE_CIPHER_TKIP &&
		    type != IE_CIPHER_CCMP && type != IE_CIPHER_WEP104)
			return "unknown";
	} else if (oui != IE_OUI_IEEE)
		return "unknown";
	switch (type) {
	case IE_CIPHER_USE_GROUP:	return "use-group";
	case IE_CIPHER_WEP40:		return "WEP-40";
	case IE_CIPHER_TKIP:		return "TKIP";
	case IE_CIPHER_CCMP:		return "CCMP";
	case IE_CIPHER_WEP104:		return "WEP-104";
	case IE_CIPHER_BIP_CMAC:	return "BIP-CMAC-128";
	case 7:				return "group-not-allowed";
	case IE_CIPHER_GCMP:		return "GCMP";
	case IE_CIPHER_GCMP256:		return "GCMP-256";
	case IE_CIPHER_CCMP256:		return "CCMP-256";
	case 11:			return "BIP-GMAC-128";
	case 12:			return "BIP-GMAC-256";
	case 13:			return "BIP-CMAC-256";
	default:			return "unknown";
	}
}

const char *
ie_akm_name(uint32_t suite)
{
	uint32_t oui = suite >> 8;
	uint8_t type = suite & 0xff;

	if (oui == IE_OUI_MS) {
		if (type == IE_AKM_8021X)
			return "802.1X";
		if (type == IE_AKM_PSK)
			return "PSK";
		return "unknown";
	}
	if (oui == IE_OUI_WFA)
		return type == 2 ? "DPP" : "unknown";
	if (oui != IE_OUI_IEEE)
		return "unknown";
	switch (type) {
	case IE_AKM_8021X:		return "802.1X";
	case IE_AKM_PSK:		return "PSK";
	case IE_AKM_FT_8021X:		return "FT-802.1X";
	case IE_AKM_FT_PSK:		return "FT-PSK";
	case IE_AKM_8021X_SHA256:	return "802.1X-SHA256";
	case IE_AKM_PSK_SHA256:		return "PSK-SHA256";
	case 7:				return "TDLS";
	case IE_AKM_SAE:		return "SAE";
	case IE_AKM_FT_SAE:		return "FT-SAE";
	case 10:			return "AP-PeerKey";
	case IE_AKM_8021X_SUITE_B:	return "802.1X-Suite-B";
	case IE_AKM_8021X_SUITE_B_192:	return "802.1X-Suite-B-192";
	case IE_AKM_FT_8021X_SHA384:	return "FT-802.1X-SHA384";
	case IE_AKM_FILS_SHA256:	return "FILS-SHA256";
	case IE_AKM_FILS_SHA384:	return "FILS-SHA384";
	case 16:			return "FT-FILS-SHA256";
	case 17:			return "FT-FILS-SHA384";
	case IE_AKM_OWE:		return "OWE";
	case 19:			return "FT-PSK-SHA384";
	case 20:			return "PSK-SHA384";
	case IE_AKM_SAE_EXT:		return "SAE-EXT-KEY";
	case IE_AKM_FT_SAE_EXT:		return "FT-SAE-EXT-KEY";
	default:			return "unknown";
	}
}

unsigned
ie_rate_kbps(uint8_t rate)
{
	return (unsigned)(rate & 0x7f) * 500;
}
