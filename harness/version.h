// The release of nvmesim: printed by `nvmesim --version` and written into
// fio-shaped JSON ("fio version": "nvmesim-<version>", where fio writes
// "fio-3.x"), so a stored result says which model produced it.
#pragma once

namespace nvmesim::harness {

inline constexpr const char* kVersion = "0.1.0";

}  // namespace nvmesim::harness
