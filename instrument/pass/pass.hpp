// The instrumentation pass's internal interface: its options, the runtime hooks it calls, and one
// entry point per concept, each defined in the file of the same name under pass/.
//
// Three passes join clang's pipeline (registered by plugin.cpp through register_passes):
//   pipeline_start_pass  before any optimisation: records the options as module flags and tags
//                        GORO_NOINSTR functions (noinstr.cpp) while they are still whole;
//   noinstr_retag_pass   after each function simplification: keeps those bodies tagged as the
//                        inliner copies callees into them;
//   instrument_pass      after every optimisation (OptimizerLast, which runs at -O0 too): race
//                        instrumentation of what survived optimisation, then safe points.
// All say isRequired(): -O0 marks every function optnone, and the pass manager skips optional
// passes on those.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llvm/ADT/DenseMap.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"

namespace llvm {
class PassBuilder;
}

namespace goro::instrument {

// What one module gets. The clang plugin fills it from -fplugin-arg-goro-<arg>; the IR passes read
// it back from module flags (options.cpp), since they run in other objects and, with -flto, may
// read a module written by another process.
struct options {
  bool race = false;            // "race": accesses, atomics, memory intrinsics, entry/exit
  bool safe_points = true;      // "no-safepoints" clears: stack checks and preemption points
  bool atomics = true;          // "no-atomics" clears (race builds)
  bool mem_intrinsics = true;   // "no-memintrinsics" clears (race builds)
  bool func_entry_exit = true;  // "no-func-entry-exit" clears (race builds)
  // "source-accesses": plain accesses and memory intrinsics are checked before optimisation, so
  // accesses the optimiser deletes are still checked (race builds; instrument_pass.cpp).
  bool source_accesses = false;
};

// ---- options.cpp ----
// Applies one -fplugin-arg-goro-<arg>; false for an unknown arg.
bool apply_plugin_arg(std::string_view arg, options& opts);
// The clang action hands the options of the translation unit it is compiling to the IR pass of the
// same compilation (same process, later), keyed by the main file name, which clang also uses as
// the module identifier.
void hand_off_options(std::string module_id, const options& opts);
std::optional<options> take_handed_off_options(llvm::StringRef module_id);
bool has_option_flags(const llvm::Module& m);
void write_option_flags(llvm::Module& m, const options& opts);
// Modules without goro flags (the .so given only as -fpass-plugin=) get the defaults.
options read_option_flags(const llvm::Module& m);
// "goro.instrumented": set once instrument_pass has run, so a module is never instrumented twice.
bool is_instrumented(const llvm::Module& m);
void mark_instrumented(llvm::Module& m);

// ---- hooks.cpp ----
// The runtime's C ABI (detector/include/goro/race_abi.h) declared in IR, on first use. Every hook
// is nounwind, so calling one never turns a call into an invoke. "Index" is the access-size index:
// 0..4 for 1, 2, 4, 8, 16 bytes.
class runtime_hooks {
 public:
  explicit runtime_hooks(llvm::Module& m);

  static int size_index(uint64_t bytes);  // -1 unless 1, 2, 4, 8 or 16
  llvm::IntegerType* value_type(int index) const;
  llvm::IntegerType* intptr_type() const { return intptr_; }
  llvm::IntegerType* order_type() const { return order_; }

  llvm::FunctionCallee access(bool write, int index);  // __goro_{read,write}{1..16}
  llvm::FunctionCallee access_range(bool write);       // __goro_{read,write}_range
  llvm::FunctionCallee vptr_read();                    // __goro_vptr_read
  llvm::FunctionCallee vptr_update();                  // __goro_vptr_update
  llvm::FunctionCallee tls_access(bool write);         // __goro_tls_{read,write}
  llvm::FunctionCallee free_hint();                    // __goro_free_hint
  llvm::FunctionCallee memcpy_hook(bool move);         // __goro_memcpy / __goro_memmove
  llvm::FunctionCallee memset_hook();                  // __goro_memset
  llvm::FunctionCallee func_enter();
  llvm::FunctionCallee func_exit();
  llvm::FunctionCallee stack_live();  // __goro_stack_live
  llvm::FunctionCallee stack_dead();  // __goro_stack_dead
  llvm::FunctionCallee atomic_load(int index);
  llvm::FunctionCallee atomic_store(int index);
  // op: exchange, fetch_add, fetch_sub, fetch_and, fetch_or, fetch_xor, fetch_nand.
  llvm::FunctionCallee atomic_rmw(llvm::StringRef op, int index);
  llvm::FunctionCallee atomic_compare_exchange(int index);
  llvm::FunctionCallee fence(bool signal_only);
  llvm::FunctionCallee race_init();  // __goro_race_init_v1
  llvm::FunctionCallee stack_check_slow();
  llvm::Constant* stack_guard();          // intptr_t* to the initial-exec TLS __goro_stack_guard
  llvm::Constant* instrumented_marker();  // i32* to __goro_instrumented_v1

  // True for a call to any of the above (cheap: by name).
  static bool is_hook(const llvm::Function& f);

 private:
  llvm::FunctionCallee declare(llvm::StringRef name, llvm::Type* result,
                               llvm::ArrayRef<llvm::Type*> params, bool zext_values);
  // An access check: void, its first parameter the address checked.
  llvm::FunctionCallee declare_check(llvm::StringRef name, llvm::ArrayRef<llvm::Type*> params);

  llvm::Module& m_;
  llvm::IntegerType* intptr_;
  llvm::IntegerType* order_;
};

// ---- noinstr.cpp ----
// Marks every instruction of GORO_NOINSTR functions (annotate("goro.noinstr")) !nosanitize and the
// functions "goro-noinstr", before inlining copies them into user code.
void tag_noinstr_functions(llvm::Module& m);
// Tags every instruction of f (one marked "goro-noinstr"), including those inlined into it since.
void retag_noinstr_body(llvm::Function& f);
bool is_noinstr(const llvm::Function& f);
bool has_nosanitize(const llvm::Instruction& i);
void set_nosanitize(llvm::Instruction& i);

// ---- escape.cpp ----
// Which addresses cannot race: memory no other thread can reach. One per function (it caches
// capture results per stack slot).
class private_memory {
 public:
  // True when addr certainly points into a non-escaping stack slot (or byval argument), a constant
  // global, a thread_local variable, errno, compiler-private counters, or a vtable; through a
  // select or phi, every object it may point into must be one of those.
  bool contains(const llvm::Value* addr);
  // A load that reads memory nothing writes after construction: !invariant.load loads.
  static bool reads_immutable(const llvm::Instruction& i);

 private:
  bool is_private_base(const llvm::Value* base);     // one underlying object
  bool stack_slot_escapes(const llvm::Value* slot);  // an alloca or a byval argument
  llvm::DenseMap<const llvm::Value*, bool> escapes_;
};
bool is_errno_location_call(const llvm::Value* v);
// A load or store of an object's vtable pointer (TBAA "vtable pointer": clang tags them when it
// optimises; at -O0 they are ordinary accesses).
bool is_vtable_pointer_access(const llvm::Instruction& i);
// True when addr certainly points into a thread_local variable of the calling thread.
bool is_thread_local_address(const llvm::Value* addr);

// ---- closures.cpp ----
// Tags !nosanitize every plain load and store of a goroutine's closure (through
// __goro_closure_fields, runtime.hpp): race builds, before the accesses are instrumented.
void exempt_closure_accesses(llvm::Module& m);
// Replaces each __goro_closure_fields(p) by p (every build, before any function is instrumented).
void remove_closure_markers(llvm::Module& m);

// ---- accesses.cpp / atomics.cpp / intrinsics.cpp ----
// Each returns whether it changed the function.
bool instrument_accesses(llvm::Function& f, runtime_hooks& hooks, private_memory& priv);
bool instrument_atomics(llvm::Function& f, runtime_hooks& hooks, private_memory& priv);
// keep_calls: check the ranges in front of each operation and leave it as it is (for instrumenting
// before optimisation, which must still see the intrinsics), instead of replacing it by a hook.
bool instrument_mem_intrinsics(llvm::Function& f, runtime_hooks& hooks, private_memory& priv,
                               bool keep_calls = false);
// The C11 memory_order value of an LLVM ordering (0 relaxed … 5 seq_cst).
int c11_order(llvm::AtomicOrdering o);

// ---- libc_calls.cpp ----
// Marks memcmp/bcmp calls nobuiltin, so the backend leaves them to the runtime's interposers.
bool keep_checked_libc_calls(llvm::Function& f);

// ---- frees.cpp ----
// __goro_free_hint(ptr) before each call of free or operator delete.
bool instrument_frees(llvm::Function& f, runtime_hooks& hooks);

// ---- stack_lifetimes.cpp ----
// A stack variable whose address escapes, and its size in bytes.
struct stack_variable {
  llvm::Value* slot;  // an alloca, or a byval argument
  uint64_t size;
};
struct stack_variables {
  std::vector<stack_variable> whole_function;  // no lifetime markers: alive from entry to exit
  std::vector<stack_variable> scoped;          // alive between their lifetime markers
};
// __goro_stack_live/dead at the lifetime markers of f's escaping stack variables; returns them all
// for instrument_entry_exit.
stack_variables instrument_stack_lifetimes(llvm::Function& f, runtime_hooks& hooks,
                                           private_memory& priv);
// __goro_stack_live (live) or __goro_stack_dead of each variable, at irb.
void mark_stack_variables(llvm::IRBuilder<>& irb, const std::vector<stack_variable>& variables,
                          bool live, runtime_hooks& hooks);

// ---- entry_exit.cpp ----
// func_enter at entry, func_exit on every return and on unwind (calls that may throw become invokes
// into a cleanup that calls func_exit and resumes); whole-function variables come to life after
// func_enter and die before each func_exit, scoped ones die again when unwinding.
void instrument_entry_exit(llvm::Function& f, runtime_hooks& hooks,
                           const stack_variables& variables);
// Whether f calls anything that can show up in a report's stack (entry/exit are needed then).
bool makes_calls(const llvm::Function& f);

// ---- safe_points.cpp ----
void keep_frame_pointer(llvm::Function& f);
// Stack-bound / preemption checks at the prologue, loop back-edges and after dynamic allocas.
// Returns false (and inserts nothing) when f must not migrate threads (TLS, errno, …).
bool insert_safe_points(llvm::Function& f, runtime_hooks& hooks);

// ---- instrument_pass.cpp ----
struct pipeline_start_pass : llvm::PassInfoMixin<pipeline_start_pass> {
  llvm::PreservedAnalyses run(llvm::Module& m, llvm::ModuleAnalysisManager&);
  static bool isRequired() { return true; }
};
// After each function simplification (peephole extension point): keeps GORO_NOINSTR bodies fully
// tagged while the inliner works bottom-up (noinstr.cpp).
struct noinstr_retag_pass : llvm::PassInfoMixin<noinstr_retag_pass> {
  llvm::PreservedAnalyses run(llvm::Function& f, llvm::FunctionAnalysisManager&);
  static bool isRequired() { return true; }
};
struct instrument_pass : llvm::PassInfoMixin<instrument_pass> {
  llvm::PreservedAnalyses run(llvm::Module& m, llvm::ModuleAnalysisManager&);
  static bool isRequired() { return true; }
};
void register_passes(llvm::PassBuilder& pb);

}  // namespace goro::instrument
