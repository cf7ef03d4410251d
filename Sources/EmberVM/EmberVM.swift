// EmberVM: an RV32IM machine whose every step can be proven and checked on chain (DESIGN.md section 14).
