// A translation unit with no exception handling of its own: no try, no destructor, so no
// personality function until the plugin adds cleanups (the target default, __gcc_personality_v0,
// which must still let C++ exceptions through and run func_exit on the way).
int passthrough_calls;

void pass_through(void (*next)(int), int n) {
  ++passthrough_calls;
  next(n);
  ++passthrough_calls;
}
