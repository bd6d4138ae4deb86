{
  "targets": [
    {
      "target_name": "native_blas",
      "sources": ["addon/native_blas.c"],
      "cflags": ["-O3", "-std=c11", "-Wall", "-Wextra"],
      "libraries": ["-ldl"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
