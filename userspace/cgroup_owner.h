/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgroup_owner.c: who owns a memory cgroup, read from its path alone (so a
 * cgroup that no longer exists still has an owner): a systemd unit and its
 * slice, a container of Docker, containerd, CRI-O or Podman, a Kubernetes
 * pod and its QoS class, or nothing but the path.
 */
#ifndef OL_CGROUP_OWNER_H
#define OL_CGROUP_OWNER_H

#include <stddef.h>

#define OL_OWNER_ID_LEN 65 /* a container id: 64 hex digits */
#define OL_OWNER_UID_LEN 37 /* a pod UID: 36 characters */
#define OL_OWNER_NAME_LEN 256 /* a cgroup directory name */

struct ol_owner {
	const char *kind; /* OL_OWNER_KIND_*: what owns the path */
	const char *runtime; /* a container's runtime word, or NULL */
	char container[OL_OWNER_ID_LEN]; /* its id, or "" */
	char pod_uid[OL_OWNER_UID_LEN]; /* a Kubernetes pod's UID, or "" */
	const char *qos; /* guaranteed, burstable, besteffort, or NULL */
	char unit[OL_OWNER_NAME_LEN]; /* the innermost systemd unit, or "" */
	char slice[OL_OWNER_NAME_LEN]; /* the slice around it, or "" */
};

/* The kinds, most specific first. */
#define OL_OWNER_KIND_POD "kubernetes" /* a pod, or kubepods above them */
#define OL_OWNER_KIND_CONTAINER "container"
#define OL_OWNER_KIND_SYSTEMD "systemd"
#define OL_OWNER_KIND_PLAIN "plain"

void ol_cgroup_owner(const char *path, struct ol_owner *o);
const char *ol_owner_text(const struct ol_owner *o, char *buf, size_t len);
const char *ol_owner_of(const char *path, char *buf, size_t len);

#endif /* OL_CGROUP_OWNER_H */
