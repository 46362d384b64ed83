#include "tests/support/web_browser.h"

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace cks::test {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// The W3C name of the member that carries an element's reference.
constexpr const char* kElementKey = "element-6066-11e4-a52e-4f735466cecf";

// Debian's packages (bootstrap.sh installs chromium and chromium-driver).
constexpr const char* kChromium = "/usr/bin/chromium";
constexpr const char* kDriver = "/usr/bin/chromedriver";

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Object::Ptr object(std::initializer_list<std::pair<std::string, Poco::Dynamic::Var>> members) {
  Object::Ptr o = new Object;
  for (const auto& [name, value] : members) o->set(name, value);
  return o;
}

}  // namespace

WebBrowser::WebBrowser(const std::string& work_dir, const std::string& download_dir)
    : download_dir_(download_dir), log_(work_dir + "/chromedriver.log") {
  if (!std::filesystem::exists(kChromium) || !std::filesystem::exists(kDriver)) {
    throw std::runtime_error(std::string("web browser: ") + kChromium + " or " + kDriver +
                             " is missing (scripts/bootstrap.sh installs chromium and "
                             "chromium-driver)");
  }
  std::filesystem::create_directories(download_dir_);
  // Another process may take the free port between freePort() and chromedriver's bind.
  for (int attempt = 0; attempt < 3 && session_.empty(); ++attempt) {
    port_ = freePort();
    driver_ = std::make_unique<BackgroundProcess>(
        std::vector<std::string>{kDriver, "--port=" + std::to_string(port_)}, log_);
    const bool up = eventually(
        [&] {
          try {
            int status = 0;
            command("GET", "/status", nullptr, &status);
            return status == 200;
          } catch (const std::exception&) {
            return false;
          }
        },
        std::chrono::seconds(10));
    if (!up) {
      driver_.reset();
      continue;
    }
    Array::Ptr args = new Array;
    for (const char* arg :
         {"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--window-size=1366,768", "--lang=vi-VN", "--no-first-run", "--disable-extensions"}) {
      args->add(std::string(arg));
    }
    Object::Ptr prefs = object({{"download.default_directory", download_dir_},
                                {"download.prompt_for_download", false},
                                {"intl.accept_languages", std::string("vi-VN,vi")}});
    Object::Ptr chrome =
        object({{"binary", std::string(kChromium)}, {"args", args}, {"prefs", prefs}});
    // The console's certificate is issued by a test CA the browser does not know.
    Object::Ptr always = object({{"browserName", std::string("chrome")},
                                 {"acceptInsecureCerts", true},
                                 {"unhandledPromptBehavior", std::string("ignore")},
                                 {"goog:chromeOptions", chrome}});
    const auto created =
        command("POST", "/session", object({{"capabilities", object({{"alwaysMatch", always}})}}));
    session_ = created.extract<Object::Ptr>()->getValue<std::string>("sessionId");
  }
  if (session_.empty()) {
    throw std::runtime_error("web browser: chromedriver did not start: " + readAll(log_));
  }
  // A page of 1366×768, as an office PC's screen shows it: the window is grown by what the
  // browser's own frame takes.
  const auto inner = [&] { return run("return window.innerHeight;").convert<int>(); };
  command("POST", "/session/" + session_ + "/window/rect",
          object({{"width", 1366}, {"height", 768}}));
  const int frame = 768 - inner();
  if (frame > 0) {
    command("POST", "/session/" + session_ + "/window/rect",
            object({{"width", 1366}, {"height", 768 + frame}}));
  }
}

WebBrowser::~WebBrowser() {
  try {
    if (!session_.empty()) command("DELETE", "/session/" + session_);
  } catch (const std::exception&) {
    // The driver is killed below anyway.
  }
  if (driver_) driver_->terminate(std::chrono::seconds(5));
}

Poco::Dynamic::Var WebBrowser::command(const std::string& method, const std::string& path,
                                       const Object::Ptr& body, int* status) {
  Poco::Net::HTTPClientSession http("127.0.0.1", static_cast<Poco::UInt16>(port_));
  http.setTimeout(Poco::Timespan(60, 0));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  std::string text;
  if (body) {
    std::ostringstream out;
    body->stringify(out);
    text = out.str();
  } else if (method == "POST") {
    text = "{}";
  }
  request.setContentType("application/json; charset=utf-8");
  request.setContentLength(static_cast<std::streamsize>(text.size()));
  http.sendRequest(request) << text;
  Poco::Net::HTTPResponse response;
  std::string answer;
  Poco::StreamCopier::copyToString(http.receiveResponse(response), answer);
  if (status) *status = response.getStatus();
  Poco::JSON::Parser parser;
  const auto parsed = parser.parse(answer).extract<Object::Ptr>();
  const auto value = parsed->get("value");
  if (response.getStatus() != 200 && !status) {
    std::string error = answer;
    if (value.type() == typeid(Object::Ptr)) {
      const auto detail = value.extract<Object::Ptr>();
      error = detail->optValue<std::string>("error", "") + ": " +
              detail->optValue<std::string>("message", "");
    }
    throw std::runtime_error("web browser: " + method + " " + path + ": " + error);
  }
  return value;
}

std::string WebBrowser::find(const std::string& css, bool displayed_only) {
  for (const auto& id : elements(css)) {
    if (!displayed_only) return id;
    const auto shown = command("GET", "/session/" + session_ + "/element/" + id + "/displayed");
    if (shown.convert<bool>()) return id;
  }
  return "";
}

void WebBrowser::open(const std::string& url) {
  command("POST", "/session/" + session_ + "/url", object({{"url", url}}));
}

void WebBrowser::refresh() { command("POST", "/session/" + session_ + "/refresh"); }

std::string WebBrowser::url() {
  return command("GET", "/session/" + session_ + "/url").convert<std::string>();
}

std::vector<std::string> WebBrowser::elements(const std::string& css) {
  const auto found = command("POST", "/session/" + session_ + "/elements",
                             object({{"using", std::string("css selector")}, {"value", css}}));
  std::vector<std::string> ids;
  const auto list = found.extract<Array::Ptr>();
  for (size_t i = 0; i < list->size(); ++i) {
    ids.push_back(list->getObject(static_cast<unsigned>(i))->getValue<std::string>(kElementKey));
  }
  return ids;
}

std::string WebBrowser::element(const std::string& css, std::chrono::milliseconds limit) {
  std::string id;
  eventually([&] { return !(id = find(css, true)).empty(); }, limit);
  if (id.empty()) {
    throw std::runtime_error("web browser: nothing shown matches \"" + css + "\" on " + url());
  }
  return id;
}

void WebBrowser::click(const std::string& css) {
  command("POST", "/session/" + session_ + "/element/" + element(css) + "/click");
}

void WebBrowser::type(const std::string& css, const std::string& text) {
  const std::string id = element(css);
  command("POST", "/session/" + session_ + "/element/" + id + "/clear");
  command("POST", "/session/" + session_ + "/element/" + id + "/value", object({{"text", text}}));
}

void WebBrowser::attach(const std::string& css, const std::string& path) {
  // A file input is often hidden behind a styled button: found whether displayed or not.
  std::string id;
  eventually([&] { return !(id = find(css, false)).empty(); }, std::chrono::seconds(10));
  if (id.empty()) throw std::runtime_error("web browser: no file input \"" + css + "\"");
  command("POST", "/session/" + session_ + "/element/" + id + "/value", object({{"text", path}}));
}

std::string WebBrowser::textOf(const std::string& element_id) {
  return command("GET", "/session/" + session_ + "/element/" + element_id + "/text")
      .convert<std::string>();
}

std::string WebBrowser::text(const std::string& css) { return textOf(element(css)); }

std::string WebBrowser::attribute(const std::string& element_id, const std::string& name) {
  const auto value =
      command("GET", "/session/" + session_ + "/element/" + element_id + "/attribute/" + name);
  return value.isEmpty() ? "" : value.convert<std::string>();
}

std::string WebBrowser::waitForText(const std::string& css, const std::string& part,
                                    std::chrono::milliseconds limit) {
  std::string seen;
  const bool found = eventually(
      [&] {
        const std::string id = find(css, true);
        if (id.empty()) return false;
        try {
          seen = textOf(id);
        } catch (const std::runtime_error&) {
          return false;  // the page redrew the element between finding and reading it
        }
        return seen.find(part) != std::string::npos;
      },
      limit);
  if (!found) {
    throw std::runtime_error("web browser: \"" + css + "\" on " + url() + " never showed \"" +
                             part + "\"; it showed \"" + seen + "\"");
  }
  return seen;
}

void WebBrowser::waitForCount(const std::string& css, size_t count,
                              std::chrono::milliseconds limit) {
  size_t seen = 0;
  const bool found = eventually(
      [&] {
        seen = 0;
        for (const auto& id : elements(css)) {
          try {
            if (command("GET", "/session/" + session_ + "/element/" + id + "/displayed")
                    .convert<bool>()) {
              ++seen;
            }
          } catch (const std::runtime_error&) {
            // Redrawn meanwhile: counted on the next look.
          }
        }
        return seen >= count;
      },
      limit);
  if (!found) {
    throw std::runtime_error("web browser: \"" + css + "\" on " + url() + " shows " +
                             std::to_string(seen) + " elements, not " + std::to_string(count));
  }
}

Poco::Dynamic::Var WebBrowser::run(const std::string& script, const Array::Ptr& args) {
  return command("POST", "/session/" + session_ + "/execute/sync",
                 object({{"script", script}, {"args", args ? args : Array::Ptr(new Array)}}));
}

void WebBrowser::acceptDialog(const std::string& answer) {
  int status = 0;
  eventually(
      [&] {
        command("GET", "/session/" + session_ + "/alert/text", nullptr, &status);
        return status == 200;
      },
      std::chrono::seconds(10));
  if (!answer.empty()) {
    command("POST", "/session/" + session_ + "/alert/text", object({{"text", answer}}));
  }
  command("POST", "/session/" + session_ + "/alert/accept");
}

void WebBrowser::screenshot(const std::string& path) {
  const std::string png64 =
      command("GET", "/session/" + session_ + "/screenshot").convert<std::string>();
  std::istringstream in(png64);
  Poco::Base64Decoder decoder(in);
  std::ofstream out(path, std::ios::binary);
  Poco::StreamCopier::copyStream(decoder, out);
}

std::string WebBrowser::downloaded(const std::string& name, std::chrono::milliseconds limit) {
  const std::string path = download_dir_ + "/" + name;
  const bool done = eventually(
      [&] {
        return std::filesystem::exists(path) && !std::filesystem::exists(path + ".crdownload") &&
               std::filesystem::file_size(path) > 0;
      },
      limit);
  if (!done) {
    std::string there;
    for (const auto& entry : std::filesystem::directory_iterator(download_dir_)) {
      there += " " + entry.path().filename().string();
    }
    throw std::runtime_error("web browser: " + name +
                             " was not downloaded; the folder holds:" + there);
  }
  return path;
}

std::string artifactPath(const std::string& name) {
  const std::string dir = buildPath("test-artifacts");
  std::filesystem::create_directories(dir);
  return dir + "/" + name;
}

}  // namespace cks::test
