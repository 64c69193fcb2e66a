"""Verification: does each reference say what its registered record says?"""
