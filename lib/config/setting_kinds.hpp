#pragma once
// The kinds of value a setting holds (integer, duration, secret, ...): how each is read from
// its YAML mapping, spelled back as YAML, compared and checked. Each function makes one row
// of the table from a key, its field accessor and a check.

#include "config/setting_checks.hpp"
#include "config/settings.hpp"
#include "config/time_text.hpp"
#include "config/timezone.hpp"
#include "config/yaml_section.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace taosync::config::detail {

/// A string as a YAML scalar: plain when a reader takes it back as the same string, else
/// double-quoted.
std::string yaml_string(const std::string& s);
/// A number in its shortest exact spelling ("10", "2.5").
std::string yaml_number(double v);
/// A size in bytes, with the largest exact KiB/MiB/GiB suffix ("16MiB").
std::string yaml_bytes(std::uint64_t v);

/// A secret: `<name>` inline or `<name>_file`, overridden by the systemd credential
/// `credential` when it exists; nullopt if none is given (or it is empty).
std::optional<std::string> read_secret(Section& s, const std::string& name,
                                       const std::string& credential, const Sources& src);

/// The whole value: app secrets and tokens are secret through and through.
std::string whole_value(const std::string& value);

/// The password in a libpq URL ("postgresql://u:PASS@h/db", "?password=PASS") or key=value
/// string ("password=PASS" / "password='P S'"); empty if none.
std::string database_password(const std::string& url);

/// `text` with every occurrence of `secret` replaced by "***" (unchanged if `secret` is empty).
std::string mask_text(const std::string& text, const std::string& secret);

/// A path relative to the config file's directory, made absolute.
std::string resolve_path(const std::string& path, const Sources& src);

/// The parts every kind shares. `field` is `[](auto& c) -> auto& { return c.<path>; }`;
/// `read(section, name, sources, config)` gives the value if the key is set; `show` spells a
/// value as YAML.
template <class T, class Field, class Read, class Show>
Setting make_setting(std::string key, Field field, std::string type, Check<T> check,
                     std::string unit, Reload reload, std::string doc, Read read, Show show) {
  Setting s;
  s.key = std::move(key);
  s.type = std::move(type);
  s.unit = std::move(unit);
  s.check = check.text;
  s.reload = reload;
  s.doc = std::move(doc);
  const std::string name = s.name();
  s.read = [field, read, name](Section& section, const Sources& src, Config& c) {
    if (std::optional<T> v = read(section, name, src, std::as_const(c)))
      field(c) = std::move(*v);
  };
  s.validate = [field, key = s.key, why_not = std::move(check.why_not)](const Config& c) {
    if (!why_not)
      return;
    if (std::optional<std::string> reason = why_not(field(c)))
      throw ConfigError(key, *reason);
  };
  s.yaml = [field, show](const Config& c) { return show(field(c)); };
  s.same = [field](const Config& a, const Config& b) { return field(a) == field(b); };
  s.keep = [field](Config& to, const Config& from) { field(to) = field(from); };
  return s;
}

/// A whole number (int).
template <class Field>
Setting integer_key(std::string key, Field field, Check<int> check, std::string unit, Reload reload,
                    std::string doc) {
  auto read = [](Section& s, const std::string& name, const Sources&,
                 const Config&) -> std::optional<int> {
    const auto v = s.integer(name);
    if (!v)
      return std::nullopt;
    if (*v < INT32_MIN || *v > INT32_MAX)
      throw ConfigError(s.key_path(name), "is out of range: " + std::to_string(*v));
    return static_cast<int>(*v);
  };
  return make_setting<int>(std::move(key), field, "integer", std::move(check), std::move(unit),
                           reload, std::move(doc), read,
                           [](const int& v) { return std::to_string(v); });
}

/// A number with a fraction (double).
template <class Field>
Setting number_key(std::string key, Field field, Check<double> check, std::string unit,
                   Reload reload, std::string doc) {
  auto read = [](Section& s, const std::string& name, const Sources&, const Config&) {
    return s.number(name);
  };
  return make_setting<double>(std::move(key), field, "number", std::move(check), std::move(unit),
                              reload, std::move(doc), read, yaml_number);
}

/// true or false.
template <class Field>
Setting flag_key(std::string key, Field field, Reload reload, std::string doc) {
  auto read = [](Section& s, const std::string& name, const Sources&, const Config&) {
    return s.boolean(name);
  };
  return make_setting<bool>(std::move(key), field, "boolean", any<bool>(), "", reload,
                            std::move(doc), read,
                            [](const bool& v) { return std::string(v ? "true" : "false"); });
}

/// A duration ("30s"), held as Millis.
template <class Field>
Setting duration_key(std::string key, Field field, Check<Millis> check, Reload reload,
                     std::string doc) {
  auto read = [](Section& s, const std::string& name, const Sources&, const Config&) {
    return s.duration(name);
  };
  return make_setting<Millis>(std::move(key), field, "duration", std::move(check), "", reload,
                              std::move(doc), read, format_duration);
}

/// A duration of whole seconds, held as Seconds.
template <class Field>
Setting seconds_key(std::string key, Field field, Check<Seconds> check, Reload reload,
                    std::string doc) {
  auto read = [](Section& s, const std::string& name, const Sources&,
                 const Config&) -> std::optional<Seconds> {
    const auto d = s.duration(name);
    if (!d)
      return std::nullopt;
    if (*d % std::chrono::seconds(1) != Millis{0})
      throw ConfigError(s.key_path(name), "must be whole seconds, got " + format_duration(*d));
    return std::chrono::duration_cast<Seconds>(*d);
  };
  return make_setting<Seconds>(
      std::move(key), field, "duration", std::move(check), "", reload, std::move(doc), read,
      [](const Seconds& v) { return format_duration(std::chrono::duration_cast<Millis>(v)); });
}

/// A size in bytes ("16MiB").
template <class Field>
Setting bytes_key(std::string key, Field field, Check<std::size_t> check, Reload reload,
                  std::string doc) {
  auto read = [](Section& s, const std::string& name, const Sources&,
                 const Config&) -> std::optional<std::size_t> {
    const auto v = s.bytes(name);
    if (!v)
      return std::nullopt;
    return static_cast<std::size_t>(*v);
  };
  return make_setting<std::size_t>(std::move(key), field, "size", std::move(check), "bytes", reload,
                                   std::move(doc), read,
                                   [](const std::size_t& v) { return yaml_bytes(v); });
}

/// A string.
template <class Field>
Setting text_key(std::string key, Field field, Check<std::string> check, Reload reload,
                 std::string doc) {
  auto read = [](Section& s, const std::string& name, const Sources&, const Config&) {
    return s.string(name);
  };
  return make_setting<std::string>(std::move(key), field, "string", std::move(check), "", reload,
                                   std::move(doc), read, yaml_string);
}

/// One of a fixed set of words.
template <class Field>
Setting choice_key(std::string key, Field field, const std::vector<std::string>& options,
                   Reload reload, std::string doc) {
  Setting s = text_key(std::move(key), field, one_of(options), reload, std::move(doc));
  s.type = "enum";
  return s;
}

/// An IANA time zone name; loading it is the check.
template <class Field>
Setting zone_key(std::string key, Field field, Reload reload, std::string doc) {
  Setting s = text_key(std::move(key), field, known_zone(), reload, std::move(doc));
  s.type = "time zone";
  return s;
}

/// A local time of day "HH:MM", held as minutes after midnight.
template <class Field>
Setting time_of_day_key(std::string key, Field field, Reload reload, std::string doc) {
  auto read = [](Section& s, const std::string& name, const Sources&,
                 const Config&) -> std::optional<std::chrono::minutes> {
    const auto v = s.string(name);
    if (!v)
      return std::nullopt;
    return parse_time_of_day(s.key_path(name), *v);
  };
  return make_setting<std::chrono::minutes>(
      std::move(key), field, "time of day", any<std::chrono::minutes>(), "", reload, std::move(doc),
      read, [](const std::chrono::minutes& v) { return "\"" + format_time_of_day(v) + "\""; });
}

/// An instant: a date (local midnight in the zone that `zone_of` names, a key read earlier)
/// or an RFC 3339 time.
template <class Field, class ZoneOf>
Setting instant_key(std::string key, Field field, ZoneOf zone_of, Reload reload, std::string doc) {
  auto read = [zone_of](Section& s, const std::string& name, const Sources&,
                        const Config& c) -> std::optional<TimePoint> {
    const auto v = s.string(name);
    if (!v)
      return std::nullopt;
    return parse_instant(s.key_path(name), *v, TimeZone::load(zone_of(c)));
  };
  return make_setting<TimePoint>(
      std::move(key), field, "date or time", any<TimePoint>(), "", reload, std::move(doc), read,
      [](const TimePoint& v) { return "\"" + format_instant(v) + "\""; });
}

/// A secret string; `secret_part` finds what is secret in a value (all of it, or a URL's
/// password), which check-config and errors show as "***".
template <class Field>
Setting secret_key(std::string key, Field field, std::string credential,
                   std::string (*secret_part)(const std::string&), Check<std::string> check,
                   Reload reload, std::string doc) {
  auto read = [credential](Section& s, const std::string& name, const Sources& src, const Config&) {
    return read_secret(s, name, credential, src);
  };
  Setting row = make_setting<std::string>(
      std::move(key), field, "secret", std::move(check), "", reload, std::move(doc), read,
      [secret_part](const std::string& v) { return yaml_string(mask_text(v, secret_part(v))); });
  row.secret = true;
  row.credential = std::move(credential);
  row.secret_part = secret_part;
  row.secret_in = [field, secret_part](const Config& c) { return secret_part(field(c)); };
  return row;
}

/// An optional path to a file, relative to the config file's directory.
template <class Field>
Setting file_path_key(std::string key, Field field, Check<std::optional<std::string>> check,
                      Reload reload, std::string doc) {
  auto read = [](Section& s, const std::string& name, const Sources& src,
                 const Config&) -> std::optional<std::optional<std::string>> {
    const auto v = s.string(name);
    if (!v)
      return std::nullopt;
    return std::optional<std::string>(resolve_path(*v, src));
  };
  return make_setting<std::optional<std::string>>(
      std::move(key), field, "path", std::move(check), "", reload, std::move(doc), read,
      [](const std::optional<std::string>& v) { return v ? yaml_string(*v) : "null"; });
}

} // namespace taosync::config::detail
