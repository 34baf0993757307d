#include "harness/core/params.h"

#include <cstdlib>
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace harness {

absl::Status ParamSpec::Validate(std::string_view value) const {
  if (is_word()) {
    for (const auto& c : choices) {
      if (c == value) return absl::OkStatus();
    }
    return absl::InvalidArgumentError(absl::StrCat("parameter '", name, "' must be one of ",
                                                   absl::StrJoin(choices, "|"), ", not '", value,
                                                   "'"));
  }
  int64_t v = 0;
  if (!absl::SimpleAtoi(value, &v)) {
    return absl::InvalidArgumentError(
        absl::StrCat("parameter '", name, "' must be an integer, not '", value, "'"));
  }
  if (v < min || v > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("parameter '", name, "' must be in [", min, ", ", max, "], not ", v));
  }
  return absl::OkStatus();
}

namespace {
std::vector<std::string> ToStrings(const std::vector<int64_t>& v) {
  std::vector<std::string> out;
  for (int64_t x : v) out.push_back(absl::StrCat(x));
  return out;
}
}  // namespace

ParamSpec IntParam(std::string name, std::string help, std::vector<int64_t> defaults,
                   std::vector<int64_t> quick, int64_t min, int64_t max) {
  ParamSpec s;
  s.name = std::move(name);
  s.help = std::move(help);
  s.defaults = ToStrings(defaults);
  s.quick = ToStrings(quick);
  s.min = min;
  s.max = max;
  return s;
}

ParamSpec WordParam(std::string name, std::string help, std::vector<std::string> choices,
                    std::vector<std::string> defaults, std::vector<std::string> quick) {
  ParamSpec s;
  s.name = std::move(name);
  s.help = std::move(help);
  s.choices = std::move(choices);
  s.defaults = std::move(defaults);
  s.quick = std::move(quick);
  return s;
}

void ParamValues::Set(const std::string& name, std::string value) {
  values_[name] = std::move(value);
}

int64_t ParamValues::Int(std::string_view name) const {
  auto it = values_.find(name);
  int64_t v = 0;
  if (it == values_.end() || !absl::SimpleAtoi(it->second, &v)) {
    std::cerr << "harness: internal error: no integer parameter '" << name << "'\n";
    std::abort();
  }
  return v;
}

const std::string& ParamValues::Word(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) {
    std::cerr << "harness: internal error: no parameter '" << name << "'\n";
    std::abort();
  }
  return it->second;
}

std::string ParamValues::NameSuffix(const std::vector<ParamSpec>& specs) const {
  std::string out;
  for (const auto& s : specs) {
    absl::StrAppend(&out, s.name, ":", Word(s.name), "/");
  }
  absl::StrAppend(&out, "workers:", Word("workers"));
  return out;
}

absl::StatusOr<ParamOverrides> ParseOverrides(std::string_view text) {
  ParamOverrides out;
  if (absl::StripAsciiWhitespace(text).empty()) return out;
  for (std::string_view item : absl::StrSplit(text, ',')) {
    std::vector<std::string> kv = absl::StrSplit(item, absl::MaxSplits('=', 1));
    if (kv.size() != 2 || kv[0].empty() || kv[1].empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--set expects name=value[|value...], got '", item, "'"));
    }
    std::vector<std::string> values = absl::StrSplit(kv[1], '|');
    for (const auto& v : values) {
      if (v.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("--set has an empty value for '", kv[0], "'"));
      }
    }
    out[kv[0]] = std::move(values);
  }
  return out;
}

absl::StatusOr<std::vector<int>> ParsePositiveIntList(std::string_view text, std::string_view what,
                                                      int max) {
  std::vector<int> out;
  if (absl::StripAsciiWhitespace(text).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(what, " list is empty"));
  }
  for (std::string_view item : absl::StrSplit(text, ',')) {
    int v = 0;
    if (!absl::SimpleAtoi(item, &v)) {
      return absl::InvalidArgumentError(absl::StrCat(what, " '", item, "' is not a number"));
    }
    if (v < 1 || v > max) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, " ", v, " is out of range [1, ", max, "]"));
    }
    for (int seen : out) {
      if (seen == v) {
        return absl::InvalidArgumentError(absl::StrCat(what, " ", v, " is listed twice"));
      }
    }
    out.push_back(v);
  }
  return out;
}

}  // namespace harness
