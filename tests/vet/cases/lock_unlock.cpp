// goro vet's lock-unlock check: Mutex::lock with a path out of the function that does not unlock
// (lines marked "want"), and twins that unlock on every path or let a guard do it.
#include <goro/goro.hpp>
#include <mutex>
#include <shared_mutex>

struct account {
  goro::Mutex mu;
  goro::RWMutex rw;
  int balance = 0;

  bool withdraw(int amount) {
    mu.lock();  // want: goro-lock-unlock
    if (balance < amount) return false;
    balance -= amount;
    mu.unlock();
    return true;
  }

  int peek(bool fast) {
    rw.lock_shared();  // want: goro-lock-unlock
    if (fast) return balance;
    int b = balance;
    rw.unlock_shared();
    return b;
  }

  void drain(int steps) {
    for (int i = 0; i < steps; i++) {
      mu.lock();  // want: goro-lock-unlock
      if (balance == 0) break;
      balance--;
      mu.unlock();
    }
  }

  // Clean twins.

  void release() { mu.unlock(); }
  bool withdraw_and_release(int amount) {
    mu.lock();
    if (balance < amount) {
      release();
      return false;
    }
    balance -= amount;
    mu.unlock();
    return true;
  }

  void begin() { mu.lock(); }  // commit() unlocks
  void commit() { mu.unlock(); }

  void transfer(account* other, int amount) {
    other->mu.lock();
    other->balance += amount;
    (*other).mu.unlock();
  }

  bool withdraw_carefully(int amount) {
    mu.lock();
    if (balance < amount) {
      mu.unlock();
      return false;
    }
    balance -= amount;
    mu.unlock();
    return true;
  }

  int peek_guarded() {
    std::shared_lock guard(rw);
    return balance;
  }

  void deposit_guarded(int amount) {
    std::lock_guard guard(mu);
    balance += amount;
  }

  void deposit_adopted(int amount) {
    mu.lock();
    std::lock_guard guard(mu, std::adopt_lock);
    balance += amount;
  }

  bool try_deposit(int amount) {
    if (!mu.try_lock()) return false;
    balance += amount;
    mu.unlock();
    return true;
  }

  void lock_both() {  // a lock operation of its own: returns with the locks held
    mu.lock();
    rw.lock();
  }
};

goro::Mutex ledger_mu;
int ledger;

void record(int amount) {
  ledger_mu.lock();  // want: goro-lock-unlock
  ledger += amount;
}

class holder {
 public:
  explicit holder(goro::Mutex& m) : m_(m) { m_.lock(); }
  ~holder() { m_.unlock(); }

 private:
  goro::Mutex& m_;
};

int main() {
  return goro::run([] {
    goro::Mutex held_to_the_end;
    held_to_the_end.lock();  // the process ends with this lambda
    return 0;
  });
}
