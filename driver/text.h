// printf-style formatting into a std::string, of any length: the management
// commands' text output is built line by line with it.
#pragma once

#include <cstdarg>
#include <string>

namespace nvmesim::driver {

std::string Printf(const char* format, ...) __attribute__((format(printf, 1, 2)));
std::string VPrintf(const char* format, va_list args) __attribute__((format(printf, 1, 0)));

}  // namespace nvmesim::driver
