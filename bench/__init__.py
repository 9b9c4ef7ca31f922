"""Suxin benchmarks (`make bench`): each one measures the system and a baseline in the same
run, reports medians and their ratio, and writes JSON to bench/results/."""
