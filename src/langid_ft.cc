/*
** langid_ft.cc -- the fastText shim (see langid_ft.h).
**
** fastText reports errors by throwing (std::invalid_argument for a file
** that is not a model, std::bad_alloc, ios failures); none may cross into
** C, so every entry point catches everything.  Prediction goes through
** FastText::predictLine, a const member that keeps its working state on the
** stack of the call, so one loaded model serves many threads.
*/
#include "langid_ft.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <fasttext/fasttext.h>
#include <fstream>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include "herald.h"

struct hd_ft {
    fasttext::FastText model;
    std::vector<std::string> codes; /* labels without the prefix */
};

static const char label_prefix[] = "__label__";
/* fastText's file header: FILEFORMAT_MAGIC_INT32 and the newest version
** libfasttext 0.9 writes. */
static const int32_t ft_magic = 793712314;
static const int32_t ft_version_max = 12;

static void label_code(const std::string &label, char *out, size_t cap) {
    size_t skip = label.compare(0, sizeof label_prefix - 1, label_prefix) == 0
                      ? sizeof label_prefix - 1
                      : 0;
    size_t n = label.size() - skip;
    if (n >= cap) n = cap - 1;
    std::memcpy(out, label.data() + skip, n);
    out[n] = '\0';
}

extern "C" int hd_ft_load(const char *path, hd_ft **out, char *msg,
                          size_t cap) {
    *out = nullptr;
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        std::snprintf(msg, cap, "%s: fastText model not found", path);
        return HD_EMODEL;
    }
    hd_ft *ft = new (std::nothrow) hd_ft;
    if (ft == nullptr) {
        std::snprintf(msg, cap, "%s: out of memory", path);
        return HD_ENOMEM;
    }
    try {
        /* FastText::loadModel(filename) reads without checking the stream,
        ** so a truncated file made it read garbage.  Open the stream
        ** ourselves with exceptions on, check the header it would check,
        ** and let every short read throw. */
        std::ifstream in(path, std::ios::in | std::ios::binary);
        if (!in) throw std::invalid_argument("cannot open");
        in.exceptions(std::ios::failbit | std::ios::badbit);
        int32_t magic = 0, version = 0;
        in.read(reinterpret_cast<char *>(&magic), sizeof magic);
        in.read(reinterpret_cast<char *>(&version), sizeof version);
        if (magic != ft_magic || version < 1 || version > ft_version_max)
            throw std::invalid_argument("bad magic or version");
        ft->model.loadModel(in);
        /* Whatever follows the model is not ours to accept. */
        in.exceptions(std::ios::goodbit);
        if (in.peek() != std::char_traits<char>::eof())
            throw std::invalid_argument("trailing bytes");
        auto dict = ft->model.getDictionary();
        int32_t n = dict->nlabels();
        if (n <= 0 || n > 10000) throw std::invalid_argument("no labels");
        for (int32_t i = 0; i < n; i++) {
            char code[8];
            label_code(dict->getLabel(i), code, sizeof code);
            ft->codes.emplace_back(code);
        }
    } catch (const std::bad_alloc &) {
        delete ft;
        std::snprintf(msg, cap, "%s: out of memory loading the fastText model",
                      path);
        return HD_ENOMEM;
    } catch (const std::ios_base::failure &) {
        delete ft;
        std::snprintf(msg, cap, "%s: not a valid fastText model (truncated)",
                      path);
        return HD_EMODEL;
    } catch (const std::exception &e) {
        delete ft;
        std::snprintf(msg, cap, "%s: not a valid fastText model (%s)", path,
                      e.what());
        return HD_EMODEL;
    } catch (...) {
        delete ft;
        std::snprintf(msg, cap, "%s: not a valid fastText model", path);
        return HD_EMODEL;
    }
    *out = ft;
    return HD_OK;
}

extern "C" void hd_ft_free(hd_ft *ft) { delete ft; }

extern "C" int hd_ft_predict(const hd_ft *ft, const char *text, size_t len,
                             hd_ft_pred *out, int k) {
    if (ft == nullptr || k <= 0) return HD_EINVAL;
    try {
        /* One line: fastText ends a prediction at the first newline. */
        std::string line(text, len);
        for (char &c : line)
            if (c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f')
                c = ' ';
        line.push_back('\n');
        std::istringstream in(line);
        std::vector<std::pair<fasttext::real, std::string>> preds;
        if (!ft->model.predictLine(in, preds, k, 0.0f)) return 0;
        int n = 0;
        for (const auto &p : preds) {
            if (n >= k) break;
            label_code(p.second, out[n].code, sizeof out[n].code);
            float prob = static_cast<float>(p.first);
            out[n].prob = prob < 0.0f ? 0.0f : prob > 1.0f ? 1.0f : prob;
            n++;
        }
        return n;
    } catch (const std::bad_alloc &) {
        return HD_ENOMEM;
    } catch (...) {
        return HD_EMODEL;
    }
}

extern "C" int hd_ft_count(const hd_ft *ft) {
    return ft ? static_cast<int>(ft->codes.size()) : 0;
}

extern "C" const char *hd_ft_code(const hd_ft *ft, int i) {
    if (ft == nullptr || i < 0 || static_cast<size_t>(i) >= ft->codes.size())
        return nullptr;
    return ft->codes[static_cast<size_t>(i)].c_str();
}
