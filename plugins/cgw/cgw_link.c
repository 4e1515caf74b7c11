/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DOC: cgw_link - socket to cgwd, reconnect, framing, the dispatch switch
 *
 * One reader: the watcher callback on_read() parses the stream (struct
 * cgw_msg_hdr + payload, see cgw_msg.h) and hands each message to
 * dispatch(), which checks the payload size at the top of every case and
 * rejects unknown types by dropping the connection.  Any thread may send
 * (events come from charon's threads); sends are serialised by a mutex and
 * never block charon for long: the socket is non-blocking and a peer that
 * does not read for SEND_TIMEOUT_MS gets its connection shut down.
 *
 * Only on_read() tears a connection down (a failed send just shuts the
 * socket down, which on_read() sees as EOF); the fd is closed later, from
 * the reconnect job, after the watcher has forgotten it.  Received bytes
 * are wiped once handled: CGW_MSG_TUNNEL_LOAD carries a PSK.
 */
#include "cgw_link.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <daemon.h>
#include <processing/jobs/callback_job.h>
#include <threading/mutex.h>

/* A reload or restart of cgwd takes a second or two: for the first three
 * seconds after the close a try every 100 ms (each second of waiting is a
 * second in which a changed tunnel is not brought up), then once a second. */
#define RECONNECT_SOON_MS 100
#define RECONNECT_SOON_TRIES 30
#define RECONNECT_MS 1000
#define SEND_TIMEOUT_MS 2000

typedef struct private_cgw_link_t private_cgw_link_t;

struct private_cgw_link_t {

	/** public interface */
	cgw_link_t public;

	/** cgwd's plugin socket */
	char *path;

	/** where commands go */
	cgw_config_t *config;
	cgw_control_t *control;

	/** connected socket, -1 if none; protected by mutex */
	int fd;

	/** a torn down socket, closed by the reconnect job */
	int dead_fd;

	/** serialises sends, protects fd */
	mutex_t *mutex;

	/** receive buffer: one header and the largest payload */
	u_char buf[sizeof(struct cgw_msg_hdr) + CGW_MSG_MAX];
	size_t used;

	/** tries left at RECONNECT_SOON_MS since the last close */
	u_int soon_tries;

	/** whether "cgwd not reachable" was logged since the last connect */
	bool quiet;
};

/** write all of buf to a non-blocking socket, waiting a bounded time */
static bool write_all(int fd, void *buf, size_t len)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	u_char *pos = buf;
	ssize_t n;
	int waited = 0;

	while (len)
	{
		n = send(fd, pos, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0)
		{
			pos += n;
			len -= n;
			continue;
		}
		if (n < 0 && errno == EINTR)
		{
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
		{
			return FALSE;
		}
		if (waited >= SEND_TIMEOUT_MS || poll(&pfd, 1, 100) < 0)
		{
			return FALSE;
		}
		waited += 100;
	}
	return TRUE;
}

METHOD(cgw_link_t, send_, bool,
	private_cgw_link_t *this, uint32_t type, uint32_t seq, void *data,
	size_t len)
{
	struct cgw_msg_hdr hdr = {
		.type = type,
		.len = len,
		.seq = seq,
	};
	bool ok = FALSE;

	this->mutex->lock(this->mutex);
	if (this->fd >= 0)
	{
		ok = write_all(this->fd, &hdr, sizeof(hdr)) &&
			 (!len || write_all(this->fd, data, len));
		if (!ok)
		{
			DBG1(DBG_CFG, "cgw: sending to cgwd failed, dropping connection");
			shutdown(this->fd, SHUT_RDWR);
		}
	}
	this->mutex->unlock(this->mutex);
	return ok;
}

/** reply CGW_MSG_RESULT */
static void result(private_cgw_link_t *this, uint32_t seq,
				   enum cgw_result code, char *text)
{
	struct cgw_msg_result res = { .code = code };

	snprintf(res.text, sizeof(res.text), "%s", text);
	send_(this, CGW_MSG_RESULT, seq, &res, sizeof(res));
}

CALLBACK(send_sa, bool,
	void *data, struct cgw_msg_sa *sa)
{
	struct { private_cgw_link_t *this; uint32_t seq; } *ctx = data;

	return send_(ctx->this, CGW_MSG_SA, ctx->seq, sa, sizeof(*sa));
}

/** a cgw_msg_name carries a NUL-terminated, non-empty name */
static bool valid_name(struct cgw_msg_name *msg)
{
	return msg->name[0] && memchr(msg->name, 0, sizeof(msg->name));
}

/**
 * The one dispatch switch: FALSE drops the connection.
 */
static bool dispatch(private_cgw_link_t *this, struct cgw_msg_hdr *hdr,
					 void *payload)
{
	struct cgw_msg_tunnel *tunnel = payload;
	struct cgw_msg_name *name = payload;
	char text[CGW_TEXT_MAX];
	enum cgw_result res;

	switch (hdr->type)
	{
		case CGW_MSG_TUNNEL_LOAD:
			if (hdr->len != sizeof(*tunnel))
			{
				break;
			}
			/* cgwd sends INITIATE for the tunnels cgw starts */
			if (!this->config->load(this->config, tunnel, text, sizeof(text)))
			{
				result(this, hdr->seq, CGW_RES_BAD_REQUEST, text);
				return TRUE;
			}
			result(this, hdr->seq, CGW_RES_OK, text[0] ? text : "loaded");
			return TRUE;
		case CGW_MSG_TUNNEL_UNLOAD:
		case CGW_MSG_INITIATE:
		case CGW_MSG_REINITIATE:
		case CGW_MSG_TERMINATE:
		case CGW_MSG_REKEY:
			if (hdr->len != sizeof(*name))
			{
				break;
			}
			if (!valid_name(name))
			{
				result(this, hdr->seq, CGW_RES_BAD_REQUEST, "invalid name");
				return TRUE;
			}
			switch (hdr->type)
			{
				case CGW_MSG_TUNNEL_UNLOAD:
					res = this->control->unload(this->control, name->name,
												text, sizeof(text));
					break;
				case CGW_MSG_INITIATE:
					res = this->control->initiate(this->control, name->name,
												  text, sizeof(text));
					break;
				case CGW_MSG_REINITIATE:
					res = this->control->reinitiate(this->control,
											name->name, text, sizeof(text));
					break;
				case CGW_MSG_TERMINATE:
					res = this->control->terminate(this->control, name->name,
												   text, sizeof(text));
					break;
				default:
					res = this->control->rekey(this->control, name->name,
											   text, sizeof(text));
					break;
			}
			result(this, hdr->seq, res, text);
			return TRUE;
		case CGW_MSG_KEEP_IKE:
		{
			struct cgw_msg_keep *keep = (struct cgw_msg_keep*)name;

			if (hdr->len != sizeof(*keep))
			{
				break;
			}
			if (!valid_name((struct cgw_msg_name*)keep))
			{
				result(this, hdr->seq, CGW_RES_BAD_REQUEST, "invalid name");
				return TRUE;
			}
			res = this->control->keep_ike(this->control, keep->name,
										  keep->ike_id, text, sizeof(text));
			result(this, hdr->seq, res, text);
			return TRUE;
		}
		case CGW_MSG_LIST_SAS:
			if (hdr->len != 0)
			{
				break;
			}
			{
				struct { private_cgw_link_t *this; uint32_t seq; } ctx = {
					this, hdr->seq,
				};
				this->control->list_sas(this->control, send_sa, &ctx);
			}
			send_(this, CGW_MSG_END, hdr->seq, NULL, 0);
			return TRUE;
		default:
			DBG1(DBG_CFG, "cgw: unknown message type %u from cgwd, "
				 "dropping connection", hdr->type);
			return FALSE;
	}
	DBG1(DBG_CFG, "cgw: message type %u with wrong size %u from cgwd, "
		 "dropping connection", hdr->type, hdr->len);
	return FALSE;
}

static void schedule_reconnect(private_cgw_link_t *this, u_int ms);

/** forget the connection; only called from on_read() */
static void teardown(private_cgw_link_t *this, int fd)
{
	this->mutex->lock(this->mutex);
	this->fd = -1;
	this->dead_fd = fd;
	this->mutex->unlock(this->mutex);
	memwipe(this->buf, sizeof(this->buf));
	this->used = 0;
	DBG1(DBG_CFG, "cgw: connection to cgwd closed, reconnecting");
	this->soon_tries = RECONNECT_SOON_TRIES;
	schedule_reconnect(this, RECONNECT_SOON_MS);
}

CALLBACK(on_read, bool,
	private_cgw_link_t *this, int fd, watcher_event_t event)
{
	struct cgw_msg_hdr hdr;
	size_t total;
	ssize_t n;

	n = recv(fd, this->buf + this->used, sizeof(this->buf) - this->used,
			 MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
	{
		return TRUE;
	}
	if (n <= 0)
	{
		teardown(this, fd);
		return FALSE;
	}
	this->used += n;
	while (this->used >= sizeof(hdr))
	{
		memcpy(&hdr, this->buf, sizeof(hdr));
		if (hdr.len > CGW_MSG_MAX)
		{
			DBG1(DBG_CFG, "cgw: oversized message (%u bytes) from cgwd, "
				 "dropping connection", hdr.len);
			teardown(this, fd);
			return FALSE;
		}
		total = sizeof(hdr) + hdr.len;
		if (this->used < total)
		{
			break;
		}
		if (!dispatch(this, &hdr, this->buf + sizeof(hdr)))
		{
			teardown(this, fd);
			return FALSE;
		}
		memwipe(this->buf, total);
		memmove(this->buf, this->buf + total, this->used - total);
		this->used -= total;
		memwipe(this->buf + this->used, total);
	}
	return TRUE;
}

/** try to connect once; TRUE if connected */
static bool try_connect(private_cgw_link_t *this)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct cgw_msg_hello hello = {
		.version = CGW_MSG_VERSION,
		.pid = getpid(),
	};
	int fd;

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", this->path);
	snprintf(hello.swan_version, sizeof(hello.swan_version), "%s", VERSION);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
	{
		return FALSE;
	}
	if (connect(fd, (struct sockaddr*)&addr, sizeof(addr)) < 0)
	{
		if (!this->quiet)
		{
			DBG1(DBG_CFG, "cgw: cgwd not reachable at %s (%s), retrying "
				 "up to every second", this->path, strerror(errno));
			this->quiet = TRUE;
		}
		close(fd);
		return FALSE;
	}
	this->quiet = FALSE;
	this->mutex->lock(this->mutex);
	this->fd = fd;
	this->mutex->unlock(this->mutex);
	DBG1(DBG_CFG, "cgw: connected to cgwd at %s", this->path);
	if (!send_(this, CGW_MSG_HELLO, 0, &hello, sizeof(hello)))
	{
		this->mutex->lock(this->mutex);
		this->fd = -1;
		this->mutex->unlock(this->mutex);
		close(fd);
		return FALSE;
	}
	lib->watcher->add(lib->watcher, fd, WATCHER_READ, on_read, this);
	return TRUE;
}

CALLBACK(reconnect, job_requeue_t,
	private_cgw_link_t *this)
{
	if (this->dead_fd >= 0)
	{
		close(this->dead_fd);
		this->dead_fd = -1;
	}
	if (try_connect(this))
	{
		return JOB_REQUEUE_NONE;
	}
	if (this->soon_tries)
	{
		this->soon_tries--;
		return JOB_RESCHEDULE_MS(RECONNECT_SOON_MS);
	}
	return JOB_RESCHEDULE_MS(RECONNECT_MS);
}

static void schedule_reconnect(private_cgw_link_t *this, u_int ms)
{
	job_t *job;

	job = (job_t*)callback_job_create(reconnect, this, NULL, NULL);
	if (ms)
	{
		lib->scheduler->schedule_job_ms(lib->scheduler, job, ms);
	}
	else
	{
		lib->processor->queue_job(lib->processor, job);
	}
}

METHOD(cgw_link_t, start, void,
	private_cgw_link_t *this)
{
	schedule_reconnect(this, 0);
}

METHOD(cgw_link_t, destroy, void,
	private_cgw_link_t *this)
{
	if (this->fd >= 0)
	{
		lib->watcher->remove(lib->watcher, this->fd);
		close(this->fd);
	}
	if (this->dead_fd >= 0)
	{
		close(this->dead_fd);
	}
	memwipe(this->buf, sizeof(this->buf));
	this->mutex->destroy(this->mutex);
	free(this->path);
	free(this);
}

/*
 * Described in header
 */
cgw_link_t *cgw_link_create(char *path, cgw_config_t *config,
							cgw_control_t *control)
{
	private_cgw_link_t *this;

	INIT(this,
		.public = {
			.send = _send_,
			.start = _start,
			.destroy = _destroy,
		},
		.path = strdup(path),
		.config = config,
		.control = control,
		.fd = -1,
		.dead_fd = -1,
		.mutex = mutex_create(MUTEX_TYPE_DEFAULT),
	);
	return &this->public;
}
