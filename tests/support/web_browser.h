// A real browser for the console's end-to-end tests: Debian's Chromium, headless, driven
// through chromedriver over the W3C WebDriver protocol (plain JSON over HTTP on loopback), at
// the 1366×768 of a province office PC. Pages are clicked and typed into as staff do; what a
// test reads back is what the page shows (an element's visible text), never the page's own
// variables, so a test fails when the page shows the wrong thing.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace cks::test {

class WebBrowser {
 public:
  // Starts chromedriver and a headless Chromium whose downloads land in `download_dir`.
  // Throws when either cannot start (the message says which and why).
  WebBrowser(const std::string& work_dir, const std::string& download_dir);
  ~WebBrowser();
  WebBrowser(const WebBrowser&) = delete;
  WebBrowser& operator=(const WebBrowser&) = delete;

  void open(const std::string& url);
  // Loads the page again, as F5 does.
  void refresh();
  [[nodiscard]] std::string url();

  // The first element `css` selects, waiting up to `limit` for one that is displayed. Throws
  // (naming the selector and the page's URL) when none appears.
  [[nodiscard]] std::string element(const std::string& css,
                                    std::chrono::milliseconds limit = std::chrono::seconds(10));
  // Waits as element() does, for a page to show `css`.
  void waitFor(const std::string& css, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    (void)element(css, limit);
  }
  // Every element `css` selects now (none is not an error).
  [[nodiscard]] std::vector<std::string> elements(const std::string& css);
  // Whether the page shows (not merely holds) an element `css` selects.
  [[nodiscard]] bool shown(const std::string& css) { return !find(css, true).empty(); }

  void click(const std::string& css);
  // Clears the field and types `text` into it, as a person would.
  void type(const std::string& css, const std::string& text);
  // Sets a file input to `path` (the browser reads the file as a person picking it would).
  void attach(const std::string& css, const std::string& path);
  // The visible text of the element `css` selects (waits for it as element() does).
  [[nodiscard]] std::string text(const std::string& css);
  [[nodiscard]] std::string textOf(const std::string& element_id);
  [[nodiscard]] std::string attribute(const std::string& element_id, const std::string& name);
  // Waits until the visible text of `css` contains `part`; returns the text (throws with the
  // last text seen otherwise).
  std::string waitForText(const std::string& css, const std::string& part,
                          std::chrono::milliseconds limit = std::chrono::seconds(10));
  // Waits until `css` selects at least `count` displayed elements.
  void waitForCount(const std::string& css, size_t count,
                    std::chrono::milliseconds limit = std::chrono::seconds(10));

  // Runs `script` in the page (a function body; `arguments` holds `args`) and returns its value.
  Poco::Dynamic::Var run(const std::string& script, const Poco::JSON::Array::Ptr& args = nullptr);
  // Accepts the page's confirm() / prompt() dialog, typing `answer` into a prompt.
  void acceptDialog(const std::string& answer = "");

  // A PNG of the page as shown, written to `path`.
  void screenshot(const std::string& path);
  // The file `name` in the download folder once the browser has finished writing it.
  [[nodiscard]] std::string downloaded(const std::string& name,
                                       std::chrono::milliseconds limit = std::chrono::seconds(15));

 private:
  Poco::Dynamic::Var command(const std::string& method, const std::string& path,
                             const Poco::JSON::Object::Ptr& body = nullptr, int* status = nullptr);
  std::string find(const std::string& css, bool displayed_only);

  std::string download_dir_;
  std::string log_;
  int port_ = 0;
  std::unique_ptr<BackgroundProcess> driver_;
  std::string session_;
};

// Where a test keeps what a person would look at afterwards (screenshots): the build's
// test-artifacts/ folder, created on first use.
[[nodiscard]] std::string artifactPath(const std::string& name);

}  // namespace cks::test
