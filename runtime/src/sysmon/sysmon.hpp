// sysmon: the runtime's watchdog thread; see sysmon.cpp.
#pragma once

namespace goro::sysmon {

// Starts the sysmon thread (called once by run()).
void start();

}  // namespace goro::sysmon
