// SPDX-License-Identifier: GPL-2.0
/*
 * Who owns a memory cgroup, from its path alone: the path is all an event
 * keeps, and the cgroup of an OOM is often gone by the time anyone asks
 * (the container was restarted).  One pass over the path's components with
 * two tables: container scopes by prefix and suffix, and the Kubernetes
 * layouts of both kubelet cgroup drivers.
 *
 *   systemd driver   /kubepods.slice/kubepods-burstable.slice/
 *                    kubepods-burstable-pod<uid, '_' for '-'>.slice/
 *                    cri-containerd-<id>.scope (crio-<id>.scope,
 *                    docker-<id>.scope)
 *   cgroupfs driver  /kubepods/burstable/pod<uid>/<id> (crio-<id>)
 *   Docker           /system.slice/docker-<id>.scope, or /docker/<id>
 *   Podman           .../libpod-<id>.scope (libpod-conmon-<id>.scope)
 *   systemd          /system.slice/nginx.service,
 *                    /user.slice/user-1000.slice/session-3.scope
 *
 * Guaranteed pods sit right under kubepods; burstable and besteffort pods
 * under their QoS class; kubepods itself, or a QoS class's cgroup, is
 * "Kubernetes pods".  A layout none of this matches is a plain path.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cgroup_owner.h"

/* A container's cgroup directory: <prefix><id><suffix>. */
static const struct scope_rule {
	const char *prefix, *suffix, *runtime;
} scope_rules[] = {
	{ "cri-containerd-", ".scope", "containerd" },
	{ "crio-conmon-", ".scope", "cri-o-conmon" },
	{ "crio-", ".scope", "cri-o" },
	{ "docker-", ".scope", "docker" },
	{ "libpod-conmon-", ".scope", "podman-conmon" },
	{ "libpod-", ".scope", "podman" },
	/* the cgroupfs driver */
	{ "crio-conmon-", "", "cri-o-conmon" },
	{ "crio-", "", "cri-o" },
};

/* The Kubernetes QoS classes, as the kubelet names their cgroups. */
static const char *const qos_classes[] = { "burstable", "besteffort" };

static const struct runtime_name {
	const char *word, *name;
} runtime_names[] = {
	{ "containerd", "containerd" },
	{ "cri-o", "CRI-O" },
	{ "cri-o-conmon", "CRI-O conmon" },
	{ "docker", "Docker" },
	{ "podman", "Podman" },
	{ "podman-conmon", "Podman conmon" },
};

static const char *const unit_suffixes[] = { ".service", ".scope", ".socket",
					     ".mount",	 ".swap",  ".device" };

static bool has_suffix(const char *s, size_t n, const char *suffix)
{
	size_t sl = strlen(suffix);

	return n >= sl && !memcmp(s + n - sl, suffix, sl);
}

/* A container id: 12 to 64 lower-case hex digits. */
static bool is_id(const char *s, size_t n)
{
	size_t i;

	if (n < 12 || n > 64)
		return false;
	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]) ||
		    isupper((unsigned char)s[i]))
			return false;
	return true;
}

/*
 * A pod UID as the kubelet writes it: 36 characters (8-4-4-4-12) of hex and
 * dashes, or '_' for '-' in systemd unit names; a static pod's UID is 32 hex
 * digits.  Copied with '-' restored.
 */
static bool take_uid(const char *s, size_t n, char *out)
{
	size_t i;

	if (n != 32 && n != 36)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i] == '_' ? '-' : s[i];

		if (!(isxdigit((unsigned char)c) &&
		      !isupper((unsigned char)c)) &&
		    c != '-')
			return false;
		out[i] = c;
	}
	out[n] = '\0';
	return true;
}

static void copy(char *dst, size_t len, const char *s, size_t n)
{
	if (n >= len)
		n = len - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* A container scope: sets the runtime and id, true when it is one. */
static bool container_scope(const char *c, size_t n, struct ol_owner *o)
{
	size_t i, pl, sl;

	for (i = 0; i < sizeof(scope_rules) / sizeof(scope_rules[0]); i++) {
		const struct scope_rule *r = &scope_rules[i];

		pl = strlen(r->prefix);
		sl = strlen(r->suffix);
		if (n <= pl + sl || memcmp(c, r->prefix, pl) ||
		    !has_suffix(c, n, r->suffix) || !is_id(c + pl, n - pl - sl))
			continue;
		o->runtime = r->runtime;
		copy(o->container, sizeof(o->container), c + pl, n - pl - sl);
		return true;
	}
	return false;
}

/*
 * kubepods-<qos>.slice, kubepods-[<qos>-]pod<uid>.slice (systemd): true
 * when it is one of them.
 */
static bool kube_slice(const char *c, size_t n, struct ol_owner *o)
{
	const char *m = c + strlen("kubepods-");
	size_t mn = n - strlen("kubepods-") - strlen(".slice"), i, ql;
	const char *qos = NULL;

	for (i = 0; i < sizeof(qos_classes) / sizeof(qos_classes[0]); i++) {
		ql = strlen(qos_classes[i]);
		if (mn >= ql && !memcmp(m, qos_classes[i], ql) &&
		    (mn == ql || m[ql] == '-')) {
			qos = qos_classes[i];
			m += ql;
			mn -= ql;
			if (mn) {
				m++;
				mn--;
			}
			break;
		}
	}
	if (mn > 3 && !memcmp(m, "pod", 3) &&
	    take_uid(m + 3, mn - 3, o->pod_uid)) {
		o->qos = qos ? qos : "guaranteed";
		return true;
	}
	if (!qos || mn)
		return false;
	o->qos = qos;
	return true;
}

/* Under /kubepods (cgroupfs): <qos>, pod<uid>. */
static void kube_dir(const char *c, size_t n, struct ol_owner *o)
{
	size_t i;

	for (i = 0; i < sizeof(qos_classes) / sizeof(qos_classes[0]); i++)
		if (n == strlen(qos_classes[i]) &&
		    !memcmp(c, qos_classes[i], n)) {
			o->qos = qos_classes[i];
			return;
		}
	if (n > 3 && !memcmp(c, "pod", 3) &&
	    take_uid(c + 3, n - 3, o->pod_uid) && !o->qos)
		o->qos = "guaranteed";
}

static bool is_unit(const char *c, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(unit_suffixes) / sizeof(unit_suffixes[0]); i++)
		if (has_suffix(c, n, unit_suffixes[i]) &&
		    n > strlen(unit_suffixes[i]))
			return true;
	return false;
}

/**
 * ol_cgroup_owner - who owns the cgroup at @path
 * @path: a cgroup path as the events and tasks files print it ("/a/b")
 * @o: filled; o->kind says how much was recognised
 */
void ol_cgroup_owner(const char *path, struct ol_owner *o)
{
	const char *c = path ? path : "", *end;
	bool kube = false, docker = false;
	size_t n;

	memset(o, 0, sizeof(*o));
	while (*c) {
		while (*c == '/')
			c++;
		end = strchr(c, '/');
		n = end ? (size_t)(end - c) : strlen(c);
		if (!n)
			break;
		if ((n == 8 && !memcmp(c, "kubepods", 8)) ||
		    (n == 14 && !memcmp(c, "kubepods.slice", 14))) {
			/* kubepods (cgroupfs), kubepods.slice (systemd) */
			kube = true;
			if (n == 14)
				copy(o->slice, sizeof(o->slice), c, n);
		} else if (kube && n > 15 && !memcmp(c, "kubepods-", 9) &&
			   has_suffix(c, n, ".slice") && kube_slice(c, n, o)) {
			copy(o->slice, sizeof(o->slice), c, n);
		} else if (container_scope(c, n, o)) {
			/* a scope is a systemd unit too */
			if (has_suffix(c, n, ".scope"))
				copy(o->unit, sizeof(o->unit), c, n);
		} else if (has_suffix(c, n, ".slice") && n > 6) {
			copy(o->slice, sizeof(o->slice), c, n);
		} else if (is_unit(c, n)) {
			copy(o->unit, sizeof(o->unit), c, n);
		} else if (n == 6 && !memcmp(c, "docker", 6)) {
			docker = true;
		} else if (kube && !o->pod_uid[0]) {
			kube_dir(c, n, o);
		} else if (is_id(c, n) && (docker || o->pod_uid[0])) {
			/* cgroupfs: /docker/<id>, or a pod's container */
			o->runtime = docker ? "docker" : NULL;
			copy(o->container, sizeof(o->container), c, n);
		}
		c += n;
	}
	if (o->pod_uid[0] || kube)
		o->kind = OL_OWNER_KIND_POD;
	else if (o->container[0])
		o->kind = OL_OWNER_KIND_CONTAINER;
	else if (o->unit[0] || o->slice[0])
		o->kind = OL_OWNER_KIND_SYSTEMD;
	else
		o->kind = OL_OWNER_KIND_PLAIN;
}

static const char *runtime_name(const char *word)
{
	size_t i;

	for (i = 0;
	     word && i < sizeof(runtime_names) / sizeof(runtime_names[0]); i++)
		if (!strcmp(word, runtime_names[i].word))
			return runtime_names[i].name;
	return NULL;
}

/**
 * ol_owner_text - the owner in a few words, "" for a plain path
 * @o: from ol_cgroup_owner()
 * @buf: where to write
 * @len: its size
 *
 * "Kubernetes pod <uid> (burstable), containerd container <12 digits>",
 * "Docker container <12 digits>", "systemd unit nginx.service in
 * system.slice", "systemd slice user-1000.slice".  Returns @buf.
 */
const char *ol_owner_text(const struct ol_owner *o, char *buf, size_t len)
{
	const char *rt = runtime_name(o->runtime);
	char ctr[96] = "";
	int k = 0;

	if (o->container[0])
		snprintf(ctr, sizeof(ctr), "%s%scontainer %.12s", rt ? rt : "",
			 rt ? " " : "", o->container);
	if (!strcmp(o->kind, OL_OWNER_KIND_POD) && o->pod_uid[0])
		k = snprintf(buf, len, "Kubernetes pod %s (%s)%s%s", o->pod_uid,
			     o->qos ? o->qos : "?", ctr[0] ? ", " : "", ctr);
	else if (!strcmp(o->kind, OL_OWNER_KIND_POD))
		k = snprintf(buf, len, "Kubernetes pods%s%s%s",
			     o->qos ? " (" : "", o->qos ? o->qos : "",
			     o->qos ? ")" : "");
	else if (!strcmp(o->kind, OL_OWNER_KIND_CONTAINER))
		k = snprintf(buf, len, "%s", ctr);
	else if (o->unit[0])
		k = snprintf(buf, len, "systemd unit %s%s%s", o->unit,
			     o->slice[0] ? " in " : "", o->slice);
	else if (o->slice[0])
		k = snprintf(buf, len, "systemd slice %s", o->slice);
	else if (len)
		buf[0] = '\0';
	if (k < 0 && len)
		buf[0] = '\0';
	return buf;
}

/**
 * ol_owner_of - ol_owner_text() of @path's owner; "" for a plain path or
 * none ("-", NULL)
 * @path: a cgroup path
 * @buf: where to write
 * @len: its size
 */
const char *ol_owner_of(const char *path, char *buf, size_t len)
{
	struct ol_owner o;

	if (len)
		buf[0] = '\0';
	if (!path || path[0] != '/')
		return buf;
	ol_cgroup_owner(path, &o);
	return ol_owner_text(&o, buf, len);
}
