// Clang's thread-safety annotations (-Wthread-safety), as Abseil spells them: which lock guards a
// field, which lock a function needs held, which functions take or drop one. The compiler then
// checks every access to guarded state at build time. Other compilers see nothing.
//
// Where the analysis cannot follow the code (a lock released by park's unlock callback on the
// scheduler stack, locks taken in a loop by select), the function says so with
// GORO_NO_THREAD_SAFETY_ANALYSIS and a comment naming the lock and who releases it.
#pragma once

#if defined(__clang__)
#define GORO_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define GORO_THREAD_ANNOTATION(x)
#endif

#define GORO_CAPABILITY(name) GORO_THREAD_ANNOTATION(capability(name))
#define GORO_SCOPED_CAPABILITY GORO_THREAD_ANNOTATION(scoped_lockable)
#define GORO_GUARDED_BY(lock) GORO_THREAD_ANNOTATION(guarded_by(lock))
#define GORO_PT_GUARDED_BY(lock) GORO_THREAD_ANNOTATION(pt_guarded_by(lock))
#define GORO_REQUIRES(...) GORO_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define GORO_EXCLUDES(...) GORO_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define GORO_ACQUIRE(...) GORO_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define GORO_RELEASE(...) GORO_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define GORO_NO_THREAD_SAFETY_ANALYSIS GORO_THREAD_ANNOTATION(no_thread_safety_analysis)
