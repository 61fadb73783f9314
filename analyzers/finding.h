/*
 * finding.h - findings: what the analyzers and checks conclude, by stable id.
 *
 * A finding is an id from the list below plus free-text evidence.  Its stage,
 * severity, LED failure code and advice are data in rules/findings.json, so
 * the code only says *what* it saw.  FINDING_IDS is the one list of ids the
 * code can emit; tests/unit/test_rules.c checks it against the rules both
 * ways.  Add an id here before emitting it, and a rule for it in
 * rules/findings.json.
 */
#ifndef FINDING_H
#define FINDING_H

#include <stdbool.h>
#include <stddef.h>

#define FINDING_IDS(X)							\
	X(WIFI_BAND_UNSUPPORTED,	"wifi.band_unsupported")	\
	X(WIFI_CHANNEL_ABOVE_MAX,	"wifi.channel_above_max")	\
	X(WIFI_N_ONLY,			"wifi.n_only")			\
	X(WIFI_G_ONLY,			"wifi.g_only")			\
	X(WIFI_WIDTH_UNSUPPORTED,	"wifi.width_unsupported")	\
	X(WIFI_SECURITY_UNSUPPORTED,	"wifi.security_unsupported")	\
	X(WIFI_ENTERPRISE,		"wifi.enterprise")		\
	X(WIFI_WEP,			"wifi.wep")			\
	X(WIFI_PMF_REQUIRED,		"wifi.pmf_required")		\
	X(WIFI_HIDDEN_SSID,		"wifi.hidden_ssid")		\
	X(WIFI_BAND_STEERING,		"wifi.band_steering")		\
	X(WIFI_MULTIPLE_BSS,		"wifi.multiple_bss")		\
	X(WIFI_WEAK_SIGNAL,		"wifi.weak_signal")		\
	X(WIFI_CONGESTED,		"wifi.congested")		\
	X(WIFI_SSID_NOT_FOUND,		"wifi.ssid_not_found")		\
	X(WIFI_AUTH_REJECTED,		"wifi.auth_rejected")		\
	X(WIFI_DEAUTH,			"wifi.deauth")			\
	X(WIFI_INACTIVITY_DISCONNECT,	"wifi.inactivity_disconnect")	\
	X(WIFI_WRONG_PASSWORD,		"wifi.wrong_password")		\
	X(WIFI_AP_FULL,			"wifi.ap_full")			\
	X(WIFI_RATES_REFUSED,		"wifi.rates_refused")		\
	X(WIFI_CAPABILITIES_REFUSED,	"wifi.capabilities_refused")	\
	X(WIFI_PMF_REFUSED,		"wifi.pmf_refused")		\
	X(WIFI_SAE_REFUSED,		"wifi.sae_refused")		\
	X(WIFI_RSN_REFUSED,		"wifi.rsn_refused")		\
	X(WIFI_IE_TRUNCATED,		"wifi.ie_truncated")		\
	X(LINK_DOWN,			"link.down")			\
	X(LINK_NO_ROUTE,		"link.no_route")		\
	X(DHCP_NO_OFFER,		"dhcp.no_offer")		\
	X(DHCP_MULTIPLE_SERVERS,	"dhcp.multiple_servers")	\
	X(DHCP_NAK,			"dhcp.nak")			\
	X(DHCP_ODD_LEASE,		"dhcp.odd_lease")		\
	X(DHCP_NO_ROUTER,		"dhcp.no_router")		\
	X(DHCP_NO_DNS,			"dhcp.no_dns")			\
	X(DHCP_SKIPPED,			"dhcp.skipped")			\
	X(DHCP_SLOW_OFFER,		"dhcp.slow_offer")		\
	X(DHCP_ONE_SERVER_SEEN,		"dhcp.one_server_seen")		\
	X(DNS_FAILED,			"dns.failed")			\
	X(DNS_HIJACKED,			"dns.hijacked")			\
	X(DNS_PRIVATE_ANSWER,		"dns.private_answer")		\
	X(INTERNET_FAILED,		"internet.failed")		\
	X(PORTAL_DETECTED,		"portal.detected")		\
	X(PORTAL_UNCHECKED,		"portal.unchecked")		\
	X(CLOUD_PORT_REJECTED,		"cloud.port_rejected")		\
	X(CLOUD_PORT_BLOCKED,		"cloud.port_blocked")		\
	X(CLOUD_INTERCEPTED,		"cloud.intercepted")		\
	X(CLOUD_DNS_FAILED,		"cloud.dns_failed")		\
	X(HANDSHAKE_REJECTED,		"handshake.rejected")		\
	X(HANDSHAKE_DECRYPT,		"handshake.decrypt_failed")	\
	X(HANDSHAKE_BAD_SIGNATURE,	"handshake.bad_signature")	\
	X(HANDSHAKE_NO_HELLO,		"handshake.no_hello")		\
	X(HANDSHAKE_BAD_RECORD,		"handshake.bad_record")		\
	X(CLOUD_PING_UNANSWERED,	"cloud.ping_unanswered")	\
	X(KEYS_SERVER_KEY_BLANK,	"keys.server_key_blank")	\
	X(KEYS_SERVER_KEY_CORRUPT,	"keys.server_key_corrupt")	\
	X(KEYS_SERVER_ADDRESS_BLANK,	"keys.server_address_blank")	\
	X(KEYS_SERVER_ADDRESS_CORRUPT,	"keys.server_address_corrupt")	\
	X(KEYS_DEVICE_KEY_BLANK,	"keys.device_key_blank")	\
	X(KEYS_DEVICE_KEY_CORRUPT,	"keys.device_key_corrupt")	\
	X(KEYS_DEVICE_KEY_MISMATCH,	"keys.device_key_mismatch")	\
	X(AGENT_LOOP_STARVED,		"agent.loop_starved")		\
	X(AGENT_RING_CORRUPT,		"agent.ring_corrupt")		\
	X(AGENT_DISAGREES,		"agent.disagrees")		\
	X(CAPTURE_TRUNCATED,		"capture.truncated")		\
	X(CAPTURE_TABLE_FULL,		"capture.table_full")	\
	X(CAPTURE_STEPS_DROPPED,	"capture.steps_dropped")	\
	X(NAT_TCP_SHORT,		"nat.tcp_short")		\
	X(NAT_TCP_BELOW_RFC,		"nat.tcp_below_rfc")		\
	X(NAT_UDP_SHORT,		"nat.udp_short")		\
	X(NAT_PORT_CHANGED,		"nat.port_changed")		\
	X(WAN_SESSION_SILENT,		"wan.session_silent")		\
	X(WAN_NO_RECOVERY,		"wan.no_recovery")		\
	X(LAN_ISOLATED,			"lan.isolated")			\
	X(LAN_MDNS_BLOCKED,		"lan.mdns_blocked")		\
	X(DNS_REBIND_BLOCKED,		"dns.rebind_blocked")		\
	X(DHCP_SHORT_LEASE,		"dhcp.short_lease")		\
	X(DHCP_FORGETS_LEASES,		"dhcp.forgets_leases")		\
	X(DHCP_RENEW_FAILED,		"dhcp.renew_failed")		\
	X(DHCP_UNICAST_RENEW_IGNORED,	"dhcp.unicast_renew_ignored")

#define FINDING_ENUM_(name, str)	FINDING_##name,
enum finding_id {
	FINDING_IDS(FINDING_ENUM_)
	FINDING_COUNT
};
#undef FINDING_ENUM_

#define FINDING_EVIDENCE_MAX	320
#define FINDINGS_MAX		64

struct finding {
	enum finding_id	id;
	char		evidence[FINDING_EVIDENCE_MAX];	/* for people */
};

/* A bounded list: adding past FINDINGS_MAX counts in `dropped`. */
struct findings {
	struct finding	item[FINDINGS_MAX];
	size_t		n;
	size_t		dropped;
};

/* The stable dotted name of an id, e.g. "dhcp.no_offer". */
const char	*finding_name(enum finding_id id);

/* Reverse of finding_name(); false when `name` is not a known id. */
bool		 finding_from_name(const char *name, enum finding_id *out);

void		 findings_init(struct findings *fs);

/*
 * Add a finding with printf-style evidence (truncated to fit).  The same id
 * may appear more than once, with different evidence.  Returns 0, or -1 when
 * the list is full (the finding is counted in fs->dropped).
 */
int		 findings_add(struct findings *fs, enum finding_id id,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

bool		 findings_has(const struct findings *fs, enum finding_id id);

#endif /* FINDING_H */
