// cld2_lines -- one CLD2 language code per input line (stdin to stdout),
// "und" when CLD2 does not know.  Built and used by bench/langid.sh only.
#include <cstdio>  // compact_lang_det.h uses FILE without including it

#include <cld2/internal/lang_script.h>
#include <cld2/public/compact_lang_det.h>

#include <iostream>
#include <string>

int main() {
    std::ios::sync_with_stdio(false);
    std::string line;
    while (std::getline(std::cin, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        bool reliable = false;
        // The bench data is valid UTF-8 (DetectLanguage requires it).
        CLD2::Language lang = CLD2::DetectLanguage(
            line.data(), static_cast<int>(line.size()), true, &reliable);
        const char *code = lang == CLD2::UNKNOWN_LANGUAGE ? "und"
                                                           : CLD2::LanguageCode(lang);
        std::cout << (code ? code : "und") << '\n';
    }
    return 0;
}
