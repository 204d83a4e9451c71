#include <gtest/gtest.h>
#include "tests/support/sim_test.h"
