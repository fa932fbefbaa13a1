// SPDX-License-Identifier: GPL-2.0
/*
 * oomlens owner PATH...: who owns each cgroup path (cgroup_owner.c), a
 * systemd unit, a container, a Kubernetes pod, or nobody but the path.
 * Works on paths alone, so a cgroup that is gone (the memcg of last week's
 * OOM) still gets its owner, and needs no module.  A path may be given as
 * the events file prints it ("/system.slice/x.service") or under the
 * cgroup2 mount ("/sys/fs/cgroup/system.slice/x.service").
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cgroup_owner.h"
#include "commands.h"
#include "escape.h"
#include "files.h"
#include "json.h"

#define CGROUP_MOUNT "/sys/fs/cgroup"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: oomlens [--json] owner PATH...\n\n"
		"Who owns each cgroup PATH, from the path alone: a systemd unit and slice,\n"
		"a Docker, containerd, CRI-O or Podman container, a Kubernetes pod and its\n"
		"QoS class, or nothing known (a plain path).\n");
}

/* The path below the cgroup2 mount, as the module prints it. */
static const char *relative(const char *path)
{
	size_t n = strlen(CGROUP_MOUNT);

	if (!strncmp(path, CGROUP_MOUNT, n) && (path[n] == '/' || !path[n]))
		return path[n] ? path + n : "/";
	return path;
}

static void owner_json(struct json *j, const char *path,
		       const struct ol_owner *o)
{
	char text[512];

	json_obj_begin(j, NULL);
	json_str(j, "path", path);
	json_str(j, "kind", o->kind);
	if (o->runtime)
		json_str(j, "runtime", o->runtime);
	else
		json_null(j, "runtime");
	if (o->container[0])
		json_str(j, "container_id", o->container);
	else
		json_null(j, "container_id");
	if (o->pod_uid[0])
		json_str(j, "pod_uid", o->pod_uid);
	else
		json_null(j, "pod_uid");
	if (o->qos)
		json_str(j, "qos_class", o->qos);
	else
		json_null(j, "qos_class");
	if (o->unit[0])
		json_str(j, "unit", o->unit);
	else
		json_null(j, "unit");
	if (o->slice[0])
		json_str(j, "slice", o->slice);
	else
		json_null(j, "slice");
	json_str(j, "owner", ol_owner_text(o, text, sizeof(text)));
	json_obj_end(j);
}

int cmd_owner(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
	};
	struct ol_owner o;
	char text[512];
	struct json j;
	int c, i;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return OL_EXIT_OK;
		}
		usage(stderr);
		return OL_EXIT_USAGE;
	}
	if (optind == argc) {
		ol_err("owner: no PATH given");
		usage(stderr);
		return OL_EXIT_USAGE;
	}
	for (i = optind; i < argc; i++) {
		if (argv[i][0] != '/') {
			ol_err("owner: '%s' is not an absolute cgroup path",
			       ol_tty_msg(argv[i]));
			return OL_EXIT_USAGE;
		}
	}
	if (ol_json) {
		json_init(&j, stdout);
		json_arr_begin(&j, NULL);
	}
	for (i = optind; i < argc; i++) {
		const char *p = relative(argv[i]);

		ol_cgroup_owner(p, &o);
		if (ol_json) {
			owner_json(&j, p, &o);
			continue;
		}
		ol_owner_text(&o, text, sizeof(text));
		printf("%s\t%s\n", ol_tty(p), text[0] ? ol_tty(text) : "-");
	}
	if (ol_json) {
		json_arr_end(&j);
		json_finish(&j);
	}
	return OL_EXIT_OK;
}
