/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_COLINUX_SETUP_H
#define _ASM_COLINUX_SETUP_H

#define COMMAND_LINE_SIZE	2048	/* == COLINUX_CMDLINE_MAX */

#endif
