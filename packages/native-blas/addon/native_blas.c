// @conceptlab/native-blas: a tiny N-API addon that calls a system CBLAS found at run time.
// Nothing is linked at build time: open() dlopen()s the library the TypeScript side names and dlsym()s
// cblas_dsyrk (and, when present, OpenBLAS's openblas_get_config / openblas_get_num_threads), so the addon
// compiles without any BLAS development package and only its use needs a BLAS. The prototypes are declared
// here: the reference CBLAS interface with 32-bit integers (Debian's libopenblas0, libblas3), else OpenBLAS's
// 64-bit-integer builds, whose symbols carry the suffix 64_ (Debian's libopenblas64-0: cblas_dsyrk64_) and,
// in the scipy-openblas wheels numpy and scipy bundle, the prefix scipy_ too.
#define _GNU_SOURCE  // dladdr
#include <dlfcn.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <node_api.h>

// CBLAS enums (cblas.h): CblasRowMajor = 101, CblasUpper = 121, CblasNoTrans = 111.
typedef void (*dsyrk_fn)(int order, int uplo, int trans, int n, int k, double alpha, const double *a, int lda,
                         double beta, double *c, int ldc);
typedef void (*dsyrk64_fn)(int order, int uplo, int trans, int64_t n, int64_t k, double alpha, const double *a, int64_t lda,
                           double beta, double *c, int64_t ldc);
typedef char *(*config_fn)(void);
typedef int (*threads_fn)(void);

typedef struct {
  void *lib;
  dsyrk_fn dsyrk;      // 32-bit integers, or NULL
  dsyrk64_fn dsyrk64;  // 64-bit integers (when dsyrk is NULL)
} blas_handle;

// The symbol families tried, in order: CBLAS (32-bit ints), OpenBLAS ILP64 (suffix 64_), scipy-openblas ILP64.
static const struct {
  const char *dsyrk, *config, *threads;
  int ilp64;
} FAMILIES[] = {
    {"cblas_dsyrk", "openblas_get_config", "openblas_get_num_threads", 0},
    {"cblas_dsyrk64_", "openblas_get_config64_", "openblas_get_num_threads64_", 1},
    {"scipy_cblas_dsyrk64_", "scipy_openblas_get_config64_", "scipy_openblas_get_num_threads64_", 1},
};

#define CHECK(call)                                                          \
  do {                                                                       \
    if ((call) != napi_ok) {                                                 \
      napi_throw_error(env, NULL, "native-blas: N-API call failed: " #call); \
      return NULL;                                                           \
    }                                                                        \
  } while (0)

static void finalize_handle(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  // The library stays loaded (dlclose of a threaded BLAS at exit can race its worker threads).
  free(data);
}

// open(path: string) -> { handle: External, file: string | null, symbol: string, config: string | null, threads: number | null }
// (file: the shared object cblas_dsyrk was found in, from dladdr)
// Throws an Error whose message is dlerror()'s (or names the missing symbol).
static napi_value open_blas(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char path[4096];
  size_t len = 0;
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], path, sizeof path, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "native-blas: open expects a library path");
    return NULL;
  }
  dlerror();
  void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char *err = dlerror();
    napi_throw_error(env, "ERR_DLOPEN", err ? err : "dlopen failed");
    return NULL;
  }
  void *sym = NULL;
  size_t fam = 0;
  for (; fam < sizeof FAMILIES / sizeof FAMILIES[0]; fam++)
    if ((sym = dlsym(lib, FAMILIES[fam].dsyrk)) != NULL) break;
  if (!sym) {
    dlclose(lib);
    napi_throw_error(env, "ERR_NO_CBLAS", "the library has no cblas_dsyrk (not a CBLAS)");
    return NULL;
  }
  blas_handle *h = malloc(sizeof *h);
  if (!h) {
    napi_throw_error(env, NULL, "native-blas: out of memory");
    return NULL;
  }
  h->lib = lib;
  h->dsyrk = FAMILIES[fam].ilp64 ? NULL : (dsyrk_fn)sym;
  h->dsyrk64 = FAMILIES[fam].ilp64 ? (dsyrk64_fn)sym : NULL;
  napi_value result, handle, file, config, threads, symbol;
  Dl_info where;
  if (dladdr(sym, &where) && where.dli_fname) {
    CHECK(napi_create_string_utf8(env, where.dli_fname, NAPI_AUTO_LENGTH, &file));
  } else {
    CHECK(napi_get_null(env, &file));
  }
  CHECK(napi_create_object(env, &result));
  CHECK(napi_create_external(env, h, finalize_handle, NULL, &handle));
  config_fn get_config = (config_fn)dlsym(lib, FAMILIES[fam].config);
  threads_fn get_threads = (threads_fn)dlsym(lib, FAMILIES[fam].threads);
  CHECK(napi_create_string_utf8(env, FAMILIES[fam].dsyrk, NAPI_AUTO_LENGTH, &symbol));
  if (get_config) {
    const char *c = get_config();
    CHECK(napi_create_string_utf8(env, c ? c : "", NAPI_AUTO_LENGTH, &config));
  } else {
    CHECK(napi_get_null(env, &config));
  }
  if (get_threads) {
    CHECK(napi_create_int32(env, get_threads(), &threads));
  } else {
    CHECK(napi_get_null(env, &threads));
  }
  CHECK(napi_set_named_property(env, result, "handle", handle));
  CHECK(napi_set_named_property(env, result, "file", file));
  CHECK(napi_set_named_property(env, result, "symbol", symbol));
  CHECK(napi_set_named_property(env, result, "config", config));
  CHECK(napi_set_named_property(env, result, "threads", threads));
  return result;
}

static int float64_view(napi_env env, napi_value v, double **data, size_t *length) {
  bool is_typed = false;
  if (napi_is_typedarray(env, v, &is_typed) != napi_ok || !is_typed) return 0;
  napi_typedarray_type type;
  void *ptr;
  if (napi_get_typedarray_info(env, v, &type, length, &ptr, NULL, NULL) != napi_ok || type != napi_float64_array) return 0;
  *data = (double *)ptr;
  return 1;
}

// syrk(handle, x: Float64Array, rows, cols, out: Float64Array): out = X Xᵀ (rows × rows, row-major, both
// triangles) for the row-major rows × cols matrix X. The TypeScript side has checked the arguments; this
// checks the lengths again so that a bad call cannot read or write out of bounds.
static napi_value syrk(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  blas_handle *h = NULL;
  double *x = NULL, *out = NULL;
  size_t xlen = 0, outlen = 0;
  int64_t rows = 0, cols = 0;
  if (argc != 5 || napi_get_value_external(env, argv[0], (void **)&h) != napi_ok || !h || !float64_view(env, argv[1], &x, &xlen) ||
      napi_get_value_int64(env, argv[2], &rows) != napi_ok || napi_get_value_int64(env, argv[3], &cols) != napi_ok ||
      !float64_view(env, argv[4], &out, &outlen)) {
    napi_throw_type_error(env, NULL, "native-blas: syrk(handle, Float64Array, rows, cols, Float64Array)");
    return NULL;
  }
  if (rows < 1 || cols < 1 || rows > 2147483647 || cols > 2147483647 || (uint64_t)rows * (uint64_t)cols != xlen ||
      (uint64_t)rows * (uint64_t)rows != outlen) {
    napi_throw_range_error(env, NULL, "native-blas: syrk lengths do not match rows and cols");
    return NULL;
  }
  size_t n = (size_t)rows;
  if (h->dsyrk)
    h->dsyrk(101, 121, 111, (int)rows, (int)cols, 1.0, x, (int)cols, 0.0, out, (int)rows);
  else
    h->dsyrk64(101, 121, 111, rows, cols, 1.0, x, cols, 0.0, out, rows);
  for (size_t i = 1; i < n; i++)
    for (size_t j = 0; j < i; j++) out[i * n + j] = out[j * n + i];
  return NULL;
}

// firstNonFinite(x: Float64Array) -> the index of the first NaN or ±Infinity, or -1. Blocks of 4096 values are
// tested branch-free on their exponent bits (all ones: not finite), which the compiler vectorises; only a block
// with a hit is searched value by value. Memory-bound: one read of x.
static napi_value first_non_finite(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  double *x = NULL;
  size_t len = 0;
  if (argc != 1 || !float64_view(env, argv[0], &x, &len)) {
    napi_throw_type_error(env, NULL, "native-blas: firstNonFinite(Float64Array)");
    return NULL;
  }
  const uint64_t exp = 0x7ff0000000000000ULL;
  double found = -1;
  for (size_t k0 = 0; k0 < len && found < 0; k0 += 4096) {
    size_t k1 = len - k0 > 4096 ? k0 + 4096 : len;
    uint64_t bad = 0;
    for (size_t k = k0; k < k1; k++) {
      uint64_t b;
      memcpy(&b, x + k, sizeof b);
      bad |= (uint64_t)((b & exp) == exp);
    }
    if (bad)
      for (size_t k = k0; k < k1; k++)
        if (!isfinite(x[k])) {
          found = (double)k;
          break;
        }
  }
  napi_value result;
  CHECK(napi_create_double(env, found, &result));
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"open", NULL, open_blas, NULL, NULL, NULL, napi_default, NULL},
      {"syrk", NULL, syrk, NULL, NULL, NULL, napi_default, NULL},
      {"firstNonFinite", NULL, first_non_finite, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
