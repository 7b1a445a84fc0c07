"""The filing package (备案材料): one Chinese PDF and a machine-readable archive of a decided ballot."""
