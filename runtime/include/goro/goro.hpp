// The umbrella header: everything goro offers. See the individual headers for documentation.
#pragma once

#include "goro/runtime.hpp"
