// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/le.h"
#include "util/loop.h"
#include "util/memfd.h"
#include "vhost-user/backend.h"
#include "vu-test-util.h"

int vut_send_bytes(int fd, const void *buf, size_t len, const int *fds, unsigned int nfds)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * 32)];
	} cbuf;
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (nfds > 32)
		return -EINVAL;
	if (nfds) {
		struct cmsghdr *cm;

		memset(&cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfds);
	}
	n = sendmsg(fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int vut_send(int fd, uint32_t request, uint32_t flags, const void *payload, uint32_t size,
	     const int *fds, unsigned int nfds)
{
	uint8_t *buf;
	int ret;

	buf = calloc(1, VHOST_USER_HDR_SIZE + (size_t)size);
	if (!buf)
		return -ENOMEM;
	put_le32(buf, request);
	put_le32(buf + 4, flags);
	put_le32(buf + 8, size);
	if (size && payload)
		memcpy(buf + VHOST_USER_HDR_SIZE, payload, size);
	ret = vut_send_bytes(fd, buf, VHOST_USER_HDR_SIZE + (size_t)size, fds, nfds);
	free(buf);
	return ret;
}

ssize_t vut_recv(int fd, uint32_t *request, uint32_t *flags, void *payload, size_t max)
{
	uint8_t hdr[VHOST_USER_HDR_SIZE];
	uint32_t size;
	ssize_t n;

	n = recv(fd, hdr, sizeof(hdr), MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN ? -EAGAIN : -errno;
	if (n == 0)
		return -EPIPE;
	if (n != (ssize_t)sizeof(hdr))
		return -EPROTO;
	*request = get_le32(hdr);
	*flags = get_le32(hdr + 4);
	size = get_le32(hdr + 8);
	if (size > max)
		return -EPROTO;
	if (size) {
		n = recv(fd, payload, size, MSG_DONTWAIT);
		if (n != (ssize_t)size)
			return -EPROTO;
	}
	return size;
}

void vut_pump(struct vadsp_loop *loop)
{
	int rounds = 0;

	while (vadsp_loop_run_once(loop, 0) > 0 && ++rounds < 10000)
		;
}

int vut_peer_closed(int fd)
{
	char c;

	return recv(fd, &c, 1, MSG_DONTWAIT | MSG_PEEK) == 0;
}

int vut_count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;	/* the directory's own fd */
}

int vut_memfd(const char *name, size_t size)
{
	return vadsp_memfd_create(name, size);
}

int vut_memfd_unsealed(const char *name, size_t size)
{
	int fd = memfd_create(name, MFD_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

uint64_t vut_eventfd_count(int fd)
{
	uint64_t v = 0;

	if (read(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
		return 0;
	return v;
}

int vut_echo_queue(struct vu_dev *dev, unsigned int idx, uint8_t *buf, size_t size)
{
	struct vring *vq = vu_dev_queue(dev, idx);
	struct vring_chain chain;
	int ret;

	if (!vq)
		return 0;
	while ((ret = vring_dev_pop(vq, &chain)) == 1) {
		size_t n = vring_chain_read(&chain, 0, buf, size);

		n = vring_chain_write(&chain, 0, buf, n);
		ret = vring_dev_push(vq, chain.head, (uint32_t)n);
		if (ret < 0)
			return ret;
	}
	if (ret < 0)
		return ret;
	vu_dev_queue_notify(dev, idx);
	return 0;
}

void vut_log_begin(struct vut_log *log)
{
	fflush(stderr);
	log->saved = dup(STDERR_FILENO);
	log->mem = memfd_create("stderr", MFD_CLOEXEC);
	if (log->saved >= 0 && log->mem >= 0)
		dup2(log->mem, STDERR_FILENO);
}

char *vut_log_end(struct vut_log *log)
{
	char *text = NULL;
	off_t len;

	fflush(stderr);
	if (log->saved >= 0) {
		dup2(log->saved, STDERR_FILENO);
		close(log->saved);
	}
	if (log->mem >= 0) {
		len = lseek(log->mem, 0, SEEK_END);
		text = calloc(1, len > 0 ? (size_t)len + 1 : 1);
		if (text && len > 0 && pread(log->mem, text, (size_t)len, 0) < 0)
			text[0] = 0;
		close(log->mem);
	}
	/* Echo what was captured, so the test log still shows it. */
	if (text)
		fputs(text, stderr);
	return text ? text : strdup("");
}
