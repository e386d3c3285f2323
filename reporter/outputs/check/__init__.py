"""outputs/check"""
