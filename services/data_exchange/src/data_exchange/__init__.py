"""Data-exchange (数据共享交换): authority facts from other departments and HRSS's own records."""
