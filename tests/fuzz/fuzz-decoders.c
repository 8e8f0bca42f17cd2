/* fuzz-decoders.c: libFuzzer target for the envelope decoder and every JSON → model constructor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built only with -Dfuzzing=true and clang (see tests/fuzz/meson.build):
 *   CC=clang meson setup _build-fuzz -Dfuzzing=true
 *   meson compile -C _build-fuzz fuzz-decoders
 *   tests/fuzz/make-seeds.sh _build-fuzz/fuzz-seeds
 *   _build-fuzz/tests/fuzz/fuzz-decoders -dict=tests/fuzz/json.dict corpus/ _build-fuzz/fuzz-seeds
 */

#include "config.h"

#include <locale.h>
#include <stdint.h>

#include "fuzz-decoders-entry.h"

int LLVMFuzzerInitialize (int *argc,
                          char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t size);

int
LLVMFuzzerInitialize (int *argc,
                      char ***argv)
{
  setlocale (LC_ALL, "C.UTF-8");

  /* A g_return_if_fail() or a g_warning() reached from any input is a finding. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);

  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t size)
{
  tally_fuzz_decoders_run (data, size);

  return 0;
}
