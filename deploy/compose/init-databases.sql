-- One database per service (ARCHITECTURE.md: each service owns its database).
CREATE DATABASE suxin_job_matching;
CREATE DATABASE suxin_gig_market;
CREATE DATABASE suxin_injury_insurance;
CREATE DATABASE suxin_training_vouchers;
CREATE DATABASE suxin_talent_card;
CREATE DATABASE suxin_employment_monitor;
CREATE DATABASE suxin_data_exchange;
CREATE DATABASE suxin_partners;
CREATE DATABASE suxin_staff_workbench;
