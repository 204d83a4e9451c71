#include "driver/text.h"

#include <cstdio>

namespace nvmesim::driver {

std::string VPrintf(const char* format, va_list args) {
  char small[256];
  va_list again;
  va_copy(again, args);
  const int n = std::vsnprintf(small, sizeof small, format, args);
  if (n < 0) {
    va_end(again);
    return "";
  }
  if (static_cast<size_t>(n) < sizeof small) {
    va_end(again);
    return std::string(small, static_cast<size_t>(n));
  }
  std::string out(static_cast<size_t>(n), '\0');
  std::vsnprintf(out.data(), out.size() + 1, format, again);  // writes n chars and the NUL
  va_end(again);
  return out;
}

std::string Printf(const char* format, ...) {
  va_list args;
  va_start(args, format);
  std::string out = VPrintf(format, args);
  va_end(args);
  return out;
}

}  // namespace nvmesim::driver
