// libsystemc.so references sc_main. nvmesim never enters through it: every
// binary owns main() and elaborates/simulates with sc_start() directly, one
// simulation per process (see docs/architecture.md, "Isolation").
extern "C" int sc_main(int, char**) { return 0; }
