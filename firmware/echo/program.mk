MARCH   := rv32imac_zicsr_zifencei
STARTUP := crt0-trap
