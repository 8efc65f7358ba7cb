# Fails if an object of the race archive calls the C++ ABI's static-initialisation guards: the
# detector interposes them to order the program's function-local statics, so a runtime or detector
# static would make edges between goroutines that never synchronised (race/built_once.hpp).
# Run as: cmake -DNM=<nm> -DARCHIVE=<libgoro_race.a> -P check_no_guarded_statics.cmake
execute_process(COMMAND ${NM} -A -u ${ARCHIVE} OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} failed on ${ARCHIVE} (exit ${rc})")
endif()
string(REGEX MATCHALL "[^\n]*__cxa_guard_acquire[^\n]*" calls "${symbols}")
if(calls)
  string(REPLACE ";" "\n  " calls "${calls}")
  message(FATAL_ERROR "function-local statics in the race runtime (use goro::built_once):\n  "
                      "${calls}")
endif()
