#include "agent/slot_watcher.h"

#include "platform/child_process.h"

namespace cks::agent {

void SlotWatcher::watch(const std::string& module) {
  threads_.emplace_back([this, module] { run(module); });
}

void SlotWatcher::stop() {
  stopping_ = true;
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

void SlotWatcher::run(const std::string& module) {
  using namespace std::chrono_literals;
  auto sleep_unless_stopping = [this](std::chrono::seconds span) {
    for (auto waited = 0ms; waited < span && !stopping_; waited += 500ms) {
      std::this_thread::sleep_for(500ms);
    }
  };
  while (!stopping_) {
    auto child = platform::ChildProcess::spawn({probe_path_, "--watch", module});
    if (!child) {
      logger_.warning("slot events: %s", child.error().message);
      return;
    }
    std::string last_line;
    bool ended = false;
    while (!stopping_ && !ended) {
      const auto line = (*child)->readLine(500ms, ended);
      if (!line) continue;
      if (line->rfind("event ", 0) == 0) {
        logger_.debug("slot event from %s: %s", module, *line);
        on_event_();
      } else {
        last_line = *line;
      }
    }
    if (stopping_) return;
    if (last_line == "unsupported") {
      logger_.information("slot events: %s does not report them; the periodic scan covers it",
                          module);
      return;
    }
    // The watcher died (the module crashed or failed): periodic scans go on; try again later.
    logger_.warning("slot events: watcher for %s ended (%s); retrying in 60 s", module,
                    last_line.empty() ? std::string("no reason given") : last_line);
    sleep_unless_stopping(60s);
  }
}

}  // namespace cks::agent
