"""Policy checks for generated projects: checkov (built-in + mlgen's ML policies), drift and formatting.

Nothing here imports checkov at module level: :func:`mlgen.policy.runner.run_policy_checks` pulls it in
when a check actually runs, so ``mlgen --help`` stays fast.
"""
