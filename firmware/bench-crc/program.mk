# Benchmark build (large ITERATIONS): run by `npm run bench`, not by the test suites.
MARCH   := rv32imac_zicsr_zifencei
STARTUP := crt0-trap
