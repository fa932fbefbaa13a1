// SPDX-License-Identifier: GPL-2.0
/*
 * The version and stats files parse, and the version and ABI the module
 * reports are the ones in include/oomlens_abi.h that this test was built
 * with.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "oomlens_test.h"

TEST(version_matches_header)
{
	char *buf = olt_read(OL_DIR "/" OOMLENS_FILE_VERSION);
	char want[128];

	ASSERT_NE(NULL, buf);
	snprintf(want, sizeof(want), OOMLENS_VERSION_FMT, OOMLENS_VERSION,
		 OOMLENS_ABI_VERSION);
	EXPECT_STREQ(want, buf);
	free(buf);
}

TEST(stats_is_flat_keyed)
{
	char *buf = olt_read(OL_DIR "/" OOMLENS_FILE_STATS), *line, *save;
	int lines = 0;

	ASSERT_NE(NULL, buf);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');
		char *p;

		lines++;
		ASSERT_NE(NULL, sp) TH_LOG("line without a value: '%s'", line);
		for (p = line; p < sp; p++) {
			int good = islower(*p) || isdigit(*p) || *p == '_';

			EXPECT_TRUE(good) TH_LOG("bad key '%s'", line);
		}
		p = strchr(sp + 1, ' ');
		EXPECT_EQ(NULL, p) TH_LOG("more than one value: '%s'", line);
		EXPECT_NE('\0', sp[1]) TH_LOG("empty value: '%s'", line);
	}
	EXPECT_GT(lines, 0);
	free(buf);
}

TEST(stats_has_counters)
{
	EXPECT_GE(olt_stat(OOMLENS_STAT_NOTIFIER_CALLS), 0);
	EXPECT_GE(olt_stat(OOMLENS_STAT_NOTIFIER_MAX_NS),
		  olt_stat(OOMLENS_STAT_NOTIFIER_LAST_NS));
	EXPECT_GE(olt_stat(OOMLENS_STAT_NOTIFIER_TOTAL_NS),
		  olt_stat(OOMLENS_STAT_NOTIFIER_MAX_NS));
	EXPECT_EQ(0, olt_stat(OOMLENS_STAT_EXPORTED_ONLY));
}

TEST(exported_only_parameter_shows_in_stats)
{
	ASSERT_EQ(0, olt_module_reload("exported_only=1"));
	EXPECT_EQ(1, olt_stat(OOMLENS_STAT_EXPORTED_ONLY));
	ASSERT_EQ(0, olt_module_reload(""));
	EXPECT_EQ(0, olt_stat(OOMLENS_STAT_EXPORTED_ONLY));
}

OLT_HARNESS_MAIN
