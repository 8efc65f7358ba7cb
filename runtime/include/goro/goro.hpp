// The umbrella header: everything goro offers. See the individual headers for documentation.
#pragma once

#include "goro/chan.hpp"
#include "goro/net.hpp"
#include "goro/runtime.hpp"
#include "goro/select.hpp"
#include "goro/sync.hpp"
#include "goro/synctest.hpp"
#include "goro/time.hpp"
