/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgw_config - CGW_MSG_TUNNEL_LOAD -> peer_cfg, child_cfg, PSK
 *
 * One tunnel = one peer_cfg with exactly one IKE proposal, PSK
 * authentication both ways with IP address identities, and one child_cfg
 * (same name) with exactly one ESP proposal, 0.0.0.0/0 === 0.0.0.0/0 in
 * tunnel mode, bound to the tunnel's XFRM interface by if_id.  Exactly one
 * proposal per phase because AWS picks the lowest it has configured,
 * whatever our order.  Lifetimes mirror AWS's (rekey margin and fuzz), so
 * both sides rekey on the same schedule.
 *
 * Locking: the store's rwlock is never held while waiting for an IKE_SA;
 * charon holds IKE_SAs while it enumerates our configs, so the reverse
 * would deadlock.
 */
#include "cgw_config.h"

#include <daemon.h>
#include <collections/hashtable.h>
#include <credentials/sets/mem_cred.h>
#include <sa/task_manager.h>
#include <threading/rwlock.h>

typedef struct private_cgw_config_t private_cgw_config_t;

struct private_cgw_config_t {

	/** public interface */
	cgw_config_t public;

	/** tunnel name => entry_t */
	hashtable_t *tunnels;

	/** protects tunnels */
	rwlock_t *lock;

	/** the PSKs, keyed (unique id) by tunnel name */
	mem_cred_t *creds;
};

typedef struct {
	/** tunnel name, the key */
	char *name;
	/** its configuration */
	peer_cfg_t *cfg;
	/** cgw initiates (and re-initiates) this tunnel */
	bool initiate;
} entry_t;

static void entry_destroy(entry_t *entry)
{
	entry->cfg->destroy(entry->cfg);
	free(entry->name);
	free(entry);
}

/** strongSwan's proposal keywords for the message's enums */
static char *encr_kw(uint32_t encr, bool *aead)
{
	*aead = encr == CGW_MSG_ENCR_AES128_GCM16 ||
			encr == CGW_MSG_ENCR_AES256_GCM16;
	switch (encr)
	{
		case CGW_MSG_ENCR_AES128: return "aes128";
		case CGW_MSG_ENCR_AES256: return "aes256";
		case CGW_MSG_ENCR_AES128_GCM16: return "aes128gcm16";
		case CGW_MSG_ENCR_AES256_GCM16: return "aes256gcm16";
		default: return NULL;
	}
}

static char *integ_kw(uint32_t integ)
{
	switch (integ)
	{
		case CGW_MSG_INTEG_SHA1: return "sha1";
		case CGW_MSG_INTEG_SHA256: return "sha256";
		case CGW_MSG_INTEG_SHA384: return "sha384";
		case CGW_MSG_INTEG_SHA512: return "sha512";
		default: return NULL;
	}
}

static char *dh_kw(uint32_t group)
{
	switch (group)
	{
		case 2: return "modp1024";
		case 5: return "modp1536";
		case 14: return "modp2048";
		case 15: return "modp3072";
		case 16: return "modp4096";
		case 17: return "modp6144";
		case 18: return "modp8192";
		case 19: return "ecp256";
		case 20: return "ecp384";
		case 21: return "ecp521";
		case 22: return "modp1024s160";
		case 23: return "modp2048s224";
		case 24: return "modp2048s256";
		default: return NULL;
	}
}

/**
 * The one proposal of a phase.  Phase 1 with GCM: integ is the PRF.
 * Phase 2: integ must be none with GCM; dh_group is the PFS group (0: none).
 */
static proposal_t *build_proposal(struct cgw_msg_proposal *p, bool ike,
								  char *err, size_t len)
{
	char buf[64], *encr, *integ, *dh = NULL;
	proposal_t *proposal;
	bool aead;

	encr = encr_kw(p->encr, &aead);
	integ = integ_kw(p->integ);
	if (p->dh_group || ike)
	{
		dh = dh_kw(p->dh_group);
	}
	if (!encr || ((p->dh_group || ike) && !dh) ||
		((ike || !aead) && !integ) || (!ike && aead && p->integ))
	{
		snprintf(err, len, "phase %d: unsupported encr %u integ %u dh %u",
				 ike ? 1 : 2, p->encr, p->integ, p->dh_group);
		return NULL;
	}
	snprintf(buf, sizeof(buf), "%s%s%s%s%s%s", encr,
			 integ ? "-" : "", integ && aead ? "prf" : "", integ ?: "",
			 dh ? "-" : "", dh ?: "");
	proposal = proposal_create_from_string(ike ? PROTO_IKE : PROTO_ESP, buf);
	if (!proposal)
	{
		snprintf(err, len, "phase %d: invalid proposal %s", ike ? 1 : 2, buf);
	}
	return proposal;
}

/** rekey jitter: rekey_fuzz percent of the margin, as AWS does */
static uint32_t jitter(struct cgw_msg_tunnel *msg)
{
	return (uint64_t)msg->rekey_margin * min(msg->rekey_fuzz, 100) / 100;
}

/** IP address identity, or the address itself if none was given */
static identification_t *make_id(char *id, uint32_t addr)
{
	host_t *host;
	identification_t *ident;

	if (id[0])
	{
		return identification_create_from_string(id);
	}
	host = host_create_from_chunk(AF_INET, chunk_from_thing(addr), 0);
	ident = identification_create_from_sockaddr(host->get_sockaddr(host));
	host->destroy(host);
	return ident;
}

static auth_cfg_t *make_auth(identification_t *id)
{
	auth_cfg_t *auth = auth_cfg_create();

	auth->add(auth, AUTH_RULE_AUTH_CLASS, AUTH_CLASS_PSK);
	auth->add(auth, AUTH_RULE_IDENTITY, id->clone(id));
	return auth;
}

static child_cfg_t *build_child(struct cgw_msg_tunnel *msg, proposal_t *esp)
{
	child_cfg_t *child;
	uint32_t life = msg->phase2.lifetime, margin = min(msg->rekey_margin, life);
	action_t dpd = ACTION_NONE;

	/* a tunnel cgw initiates comes back by itself after DPD or a close */
	if (msg->initiate || msg->dpd_action == CGW_MSG_DPD_RESTART)
	{
		dpd = ACTION_START;
	}
	child_cfg_create_t data = {
		.mode = MODE_TUNNEL,
		.if_id_in = msg->if_id,
		.if_id_out = msg->if_id,
		.lifetime = {
			.time = {
				.life = life,
				.rekey = life - margin,
				.jitter = min(jitter(msg), life - margin),
			},
		},
		.start_action = msg->initiate ? ACTION_START : ACTION_NONE,
		.dpd_action = dpd,
		.close_action = msg->initiate ? ACTION_START : ACTION_NONE,
	};
	traffic_selector_t *ts;

	child = child_cfg_create(msg->name, &data);
	child->add_proposal(child, esp);
	ts = traffic_selector_create_from_cidr("0.0.0.0/0", 0, 0, 65535);
	child->add_traffic_selector(child, TRUE, ts);
	ts = traffic_selector_create_from_cidr("0.0.0.0/0", 0, 0, 65535);
	child->add_traffic_selector(child, FALSE, ts);
	child->set_replay_window(child, msg->replay_window);
	return child;
}

static peer_cfg_t *build_peer(struct cgw_msg_tunnel *msg, proposal_t *ike,
							  identification_t *me, identification_t *other)
{
	char local[INET_ADDRSTRLEN], remote[INET_ADDRSTRLEN];
	uint32_t life = msg->phase1.lifetime, margin = min(msg->rekey_margin, life);
	ike_cfg_t *ike_cfg;
	peer_cfg_t *peer;

	inet_ntop(AF_INET, &msg->local_addr, local, sizeof(local));
	inet_ntop(AF_INET, &msg->remote_addr, remote, sizeof(remote));
	ike_cfg_create_t ike_data = {
		.version = msg->ike_version == 1 ? IKEV1 : IKEV2,
		.local = local,
		.local_port = charon->socket->get_port(charon->socket, FALSE),
		.remote = remote,
		.remote_port = IKEV2_UDP_PORT,
		.no_certreq = TRUE,
		.fragmentation = FRAGMENTATION_YES,
		/* the fix when ESP (IP protocol 50) is blocked on the path */
		.force_encap = msg->force_encap != 0,
	};
	peer_cfg_create_t peer_data = {
		.cert_policy = CERT_NEVER_SEND,
		.unique = UNIQUE_REPLACE,
		.keyingtries = msg->initiate ? 0 : 1,	/* 0: for ever */
		.rekey_time = life - margin,
		.jitter_time = min(jitter(msg), life - margin),
		.over_time = margin,
		.no_mobike = TRUE,
		/* AWS's "none": no DPD from us, so no timeout either */
		.dpd = msg->dpd_action == CGW_MSG_DPD_NONE ? 0 : msg->dpd_delay,
		.dpd_timeout = msg->ike_version == 1 ? msg->dpd_timeout : 0,
		.if_id_in = msg->if_id,
		.if_id_out = msg->if_id,
	};

	ike_cfg = ike_cfg_create(&ike_data);
	ike_cfg->add_proposal(ike_cfg, ike);
	peer = peer_cfg_create(msg->name, ike_cfg, &peer_data);
	peer->add_auth_cfg(peer, make_auth(me), TRUE);
	peer->add_auth_cfg(peer, make_auth(other), FALSE);
	return peer;
}

/**
 * IKEv2 dead peer detection takes dpd_delay of silence, then charon's
 * global retransmission time (5.9.8 has no per-peer setting): warn if the
 * strongswan.conf charon runs with misses the tunnel's dpd_timeout.
 */
static void check_retransmit(struct cgw_msg_tunnel *msg, char *err, size_t len)
{
	u_int total = msg->dpd_delay + task_manager_total_retransmit_timeout();

	if (msg->ike_version == 2 && msg->dpd_timeout &&
		(total > msg->dpd_timeout * 3 / 2 || total < msg->dpd_timeout / 2))
	{
		snprintf(err, len, "dead peer detection takes ~%us, not ~%us: set "
				 "charon.retransmit_* in strongswan.conf", total,
				 msg->dpd_timeout);
		DBG1(DBG_CFG, "cgw: tunnel '%s': %s", msg->name, err);
	}
}

METHOD(cgw_config_t, load, bool,
	private_cgw_config_t *this, struct cgw_msg_tunnel *msg, char *err,
	size_t len)
{
	proposal_t *ike = NULL, *esp = NULL;
	identification_t *me = NULL, *other = NULL;
	linked_list_t *owners;
	shared_key_t *psk;
	peer_cfg_t *peer;
	entry_t *entry;
	size_t psk_len;

	err[0] = '\0';
	psk_len = strnlen(msg->psk, sizeof(msg->psk));
	if (!memchr(msg->name, 0, sizeof(msg->name)) || !msg->name[0] ||
		!memchr(msg->local_id, 0, sizeof(msg->local_id)) ||
		!memchr(msg->remote_id, 0, sizeof(msg->remote_id)) ||
		psk_len == 0 || psk_len == sizeof(msg->psk) ||
		(msg->ike_version != 1 && msg->ike_version != 2) ||
		!msg->phase1.lifetime || !msg->phase2.lifetime)
	{
		snprintf(err, len, "malformed tunnel");
		goto fail;
	}
	ike = build_proposal(&msg->phase1, TRUE, err, len);
	esp = build_proposal(&msg->phase2, FALSE, err, len);
	me = make_id(msg->local_id, msg->local_addr);
	other = make_id(msg->remote_id, msg->remote_addr);
	if (!ike || !esp)
	{
		goto fail;
	}
	peer = build_peer(msg, ike, me, other);
	peer->add_child_cfg(peer, build_child(msg, esp));
	ike = esp = NULL;

	psk = shared_key_create(SHARED_IKE,
							chunk_clone(chunk_create(msg->psk, psk_len)));
	memwipe(msg->psk, sizeof(msg->psk));
	owners = linked_list_create_with_items(me, other, NULL);
	this->creds->add_shared_unique(this->creds, msg->name, psk, owners);
	me = other = NULL;

	INIT(entry,
		.name = strdup(msg->name),
		.cfg = peer,
		.initiate = msg->initiate,
	);
	this->lock->write_lock(this->lock);
	entry = this->tunnels->put(this->tunnels, entry->name, entry);
	this->lock->unlock(this->lock);
	if (entry)
	{
		entry_destroy(entry);
	}
	DBG1(DBG_CFG, "cgw: loaded tunnel '%s' (%s, if_id %u)", msg->name,
		 msg->ike_version == 1 ? "IKEv1" : "IKEv2", msg->if_id);
	check_retransmit(msg, err, len);
	return TRUE;

fail:
	memwipe(msg->psk, sizeof(msg->psk));
	DESTROY_IF(ike);
	DESTROY_IF(esp);
	DESTROY_IF(me);
	DESTROY_IF(other);
	DBG1(DBG_CFG, "cgw: rejected tunnel: %s", err);
	return FALSE;
}

METHOD(cgw_config_t, unload, bool,
	private_cgw_config_t *this, char *name)
{
	entry_t *entry;

	this->lock->write_lock(this->lock);
	entry = this->tunnels->remove(this->tunnels, name);
	this->lock->unlock(this->lock);
	if (!entry)
	{
		return FALSE;
	}
	this->creds->remove_shared_unique(this->creds, name);
	entry_destroy(entry);
	DBG1(DBG_CFG, "cgw: unloaded tunnel '%s'", name);
	return TRUE;
}

METHOD(cgw_config_t, has, bool,
	private_cgw_config_t *this, char *name, bool *initiate)
{
	entry_t *entry;

	this->lock->read_lock(this->lock);
	entry = this->tunnels->get(this->tunnels, name);
	if (entry && initiate)
	{
		*initiate = entry->initiate;
	}
	this->lock->unlock(this->lock);
	return entry != NULL;
}

METHOD(cgw_config_t, name_by_ike_cfg, bool,
	private_cgw_config_t *this, ike_cfg_t *ike_cfg, char *buf, size_t len)
{
	enumerator_t *enumerator;
	entry_t *entry;
	bool found = FALSE;

	this->lock->read_lock(this->lock);
	enumerator = this->tunnels->create_enumerator(this->tunnels);
	while (!found && enumerator->enumerate(enumerator, NULL, &entry))
	{
		if (entry->cfg->get_ike_cfg(entry->cfg) == ike_cfg)
		{
			snprintf(buf, len, "%s", entry->name);
			found = TRUE;
		}
	}
	enumerator->destroy(enumerator);
	this->lock->unlock(this->lock);
	return found;
}

METHOD(cgw_config_t, get_names, linked_list_t*,
	private_cgw_config_t *this)
{
	enumerator_t *enumerator;
	linked_list_t *names;
	char *name;

	names = linked_list_create();
	this->lock->read_lock(this->lock);
	enumerator = this->tunnels->create_enumerator(this->tunnels);
	while (enumerator->enumerate(enumerator, &name, NULL))
	{
		names->insert_last(names, strdup(name));
	}
	enumerator->destroy(enumerator);
	this->lock->unlock(this->lock);
	return names;
}

CALLBACK(peer_filter, bool,
	void *data, enumerator_t *orig, va_list args)
{
	entry_t *entry;
	peer_cfg_t **out;

	VA_ARGS_VGET(args, out);
	if (orig->enumerate(orig, NULL, &entry))
	{
		*out = entry->cfg;
		return TRUE;
	}
	return FALSE;
}

CALLBACK(ike_filter, bool,
	void *data, enumerator_t *orig, va_list args)
{
	entry_t *entry;
	ike_cfg_t **out;

	VA_ARGS_VGET(args, out);
	if (orig->enumerate(orig, NULL, &entry))
	{
		*out = entry->cfg->get_ike_cfg(entry->cfg);
		return TRUE;
	}
	return FALSE;
}

METHOD(backend_t, create_peer_cfg_enumerator, enumerator_t*,
	private_cgw_config_t *this, identification_t *me, identification_t *other)
{
	this->lock->read_lock(this->lock);
	return enumerator_create_filter(
					this->tunnels->create_enumerator(this->tunnels),
					peer_filter, this->lock, (void*)this->lock->unlock);
}

METHOD(backend_t, create_ike_cfg_enumerator, enumerator_t*,
	private_cgw_config_t *this, host_t *me, host_t *other)
{
	this->lock->read_lock(this->lock);
	return enumerator_create_filter(
					this->tunnels->create_enumerator(this->tunnels),
					ike_filter, this->lock, (void*)this->lock->unlock);
}

METHOD(backend_t, get_peer_cfg_by_name, peer_cfg_t*,
	private_cgw_config_t *this, char *name)
{
	peer_cfg_t *cfg = NULL;
	entry_t *entry;

	this->lock->read_lock(this->lock);
	entry = this->tunnels->get(this->tunnels, name);
	if (entry)
	{
		cfg = entry->cfg->get_ref(entry->cfg);
	}
	this->lock->unlock(this->lock);
	return cfg;
}

METHOD(cgw_config_t, get_creds, credential_set_t*,
	private_cgw_config_t *this)
{
	return &this->creds->set;
}

METHOD(cgw_config_t, destroy, void,
	private_cgw_config_t *this)
{
	enumerator_t *enumerator;
	entry_t *entry;

	enumerator = this->tunnels->create_enumerator(this->tunnels);
	while (enumerator->enumerate(enumerator, NULL, &entry))
	{
		entry_destroy(entry);
	}
	enumerator->destroy(enumerator);
	this->tunnels->destroy(this->tunnels);
	this->creds->destroy(this->creds);
	this->lock->destroy(this->lock);
	free(this);
}

/*
 * Described in header
 */
cgw_config_t *cgw_config_create()
{
	private_cgw_config_t *this;

	INIT(this,
		.public = {
			.backend = {
				.create_peer_cfg_enumerator = _create_peer_cfg_enumerator,
				.create_ike_cfg_enumerator = _create_ike_cfg_enumerator,
				.get_peer_cfg_by_name = _get_peer_cfg_by_name,
			},
			.get_creds = _get_creds,
			.load = _load,
			.unload = _unload,
			.has = _has,
			.name_by_ike_cfg = _name_by_ike_cfg,
			.get_names = _get_names,
			.destroy = _destroy,
		},
		.tunnels = hashtable_create(hashtable_hash_str, hashtable_equals_str, 8),
		.lock = rwlock_create(RWLOCK_TYPE_DEFAULT),
		.creds = mem_cred_create(),
	);
	return &this->public;
}
