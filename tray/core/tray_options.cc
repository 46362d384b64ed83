#include "tray/core/tray_options.h"

#include <charconv>

namespace cks::tray {

Result<TrayOptions> parseTrayOptions(const std::vector<std::string>& args,
                                     const std::string& default_config, Language language) {
  TrayOptions options;
  options.config = default_config;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&](std::string& out) -> Status {
      if (i + 1 >= args.size()) return fail(message(language, "cli.missing_value", {arg}));
      out = args[++i];
      return ok();
    };
    if (arg == "--check") {
      options.check = true;
    } else if (arg == "--help" || arg == "-h") {
      options.help = true;
    } else if (arg == "--config" || arg == "--state") {
      if (auto got = value(arg == "--config" ? options.config : options.state_file); !got) {
        return tl::unexpected(got.error());
      }
    } else if (arg == "--lang") {
      std::string text;
      if (auto got = value(text); !got) return tl::unexpected(got.error());
      Language parsed{};
      if (!parseLanguage(text, parsed)) return fail(message(language, "cli.bad_language", {text}));
      options.language = parsed;
    } else if (arg == "--quit-after") {
      std::string text;
      if (auto got = value(text); !got) return tl::unexpected(got.error());
      const auto [end, ec] =
          std::from_chars(text.data(), text.data() + text.size(), options.quit_after_seconds);
      if (ec != std::errc() || end != text.data() + text.size() || options.quit_after_seconds < 1) {
        return fail(message(language, "cli.unknown_option", {arg + " " + text}));
      }
    } else {
      return fail(message(language, "cli.unknown_option", {arg}));
    }
  }
  return options;
}

}  // namespace cks::tray
