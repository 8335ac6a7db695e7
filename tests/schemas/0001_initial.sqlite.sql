-- The SQLite schema before migrations existed (create_all of main at 7d34567), for upgrade tests.
CREATE TABLE municipality (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	cbs_code VARCHAR(6), 
	overall_rule VARCHAR(20) NOT NULL, 
	theme_weight FLOAT NOT NULL, 
	population_weighted BOOLEAN NOT NULL, 
	revision INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name), 
	UNIQUE (cbs_code)
);
CREATE TABLE unit (
	id INTEGER NOT NULL, 
	municipality_id INTEGER NOT NULL, 
	kind VARCHAR(10) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	cbs_code VARCHAR(8), 
	population INTEGER, 
	PRIMARY KEY (id), 
	UNIQUE (municipality_id, name), 
	CONSTRAINT unit_kind CHECK (kind in ('wijk', 'gemeente')), 
	CONSTRAINT unit_population CHECK (population is null or population >= 0), 
	FOREIGN KEY(municipality_id) REFERENCES municipality (id) ON DELETE CASCADE
);
CREATE INDEX ix_unit_municipality_id ON unit (municipality_id);
CREATE TABLE round (
	id INTEGER NOT NULL, 
	municipality_id INTEGER NOT NULL, 
	label VARCHAR(100) NOT NULL, 
	date DATE NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (municipality_id, label), 
	FOREIGN KEY(municipality_id) REFERENCES municipality (id) ON DELETE CASCADE
);
CREATE INDEX ix_round_municipality_id ON round (municipality_id);
CREATE TABLE change (
	id INTEGER NOT NULL, 
	municipality_id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	unit_id INTEGER, 
	unit_name VARCHAR(200) NOT NULL, 
	round_label VARCHAR(100) NOT NULL, 
	role VARCHAR(130) NOT NULL, 
	kind VARCHAR(30) NOT NULL, 
	subject VARCHAR(300) NOT NULL, 
	old TEXT NOT NULL, 
	new TEXT NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(municipality_id) REFERENCES municipality (id) ON DELETE CASCADE
);
CREATE INDEX ix_change_unit_id ON change (unit_id);
CREATE INDEX ix_change_municipality_id ON change (municipality_id);
CREATE TABLE respondent (
	id INTEGER NOT NULL, 
	round_id INTEGER NOT NULL, 
	unit_id INTEGER NOT NULL, 
	role VARCHAR(30) NOT NULL, 
	label VARCHAR(100) NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (round_id, unit_id, role, label), 
	FOREIGN KEY(round_id) REFERENCES round (id) ON DELETE CASCADE, 
	FOREIGN KEY(unit_id) REFERENCES unit (id) ON DELETE CASCADE
);
CREATE INDEX ix_respondent_round_id ON respondent (round_id);
CREATE INDEX ix_respondent_unit_id ON respondent (unit_id);
CREATE TABLE target (
	id INTEGER NOT NULL, 
	unit_id INTEGER NOT NULL, 
	item_id VARCHAR(40) NOT NULL, 
	position FLOAT NOT NULL, 
	target_date DATE, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (unit_id, item_id), 
	CONSTRAINT target_range CHECK (position >= 0 and position <= 100), 
	FOREIGN KEY(unit_id) REFERENCES unit (id) ON DELETE CASCADE
);
CREATE INDEX ix_target_unit_id ON target (unit_id);
CREATE TABLE energy_mark (
	id INTEGER NOT NULL, 
	unit_id INTEGER NOT NULL, 
	theme_id VARCHAR(40) NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (unit_id, theme_id), 
	FOREIGN KEY(unit_id) REFERENCES unit (id) ON DELETE CASCADE
);
CREATE INDEX ix_energy_mark_unit_id ON energy_mark (unit_id);
CREATE TABLE core_choice (
	id INTEGER NOT NULL, 
	round_id INTEGER NOT NULL, 
	choice_id VARCHAR(40) NOT NULL, 
	option_id VARCHAR(40), 
	rationale TEXT NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (round_id, choice_id), 
	FOREIGN KEY(round_id) REFERENCES round (id) ON DELETE CASCADE
);
CREATE INDEX ix_core_choice_round_id ON core_choice (round_id);
CREATE TABLE action (
	id INTEGER NOT NULL, 
	unit_id INTEGER NOT NULL, 
	theme_id VARCHAR(40) NOT NULL, 
	description TEXT NOT NULL, 
	owner VARCHAR(200) NOT NULL, 
	start_date DATE, 
	end_date DATE, 
	status VARCHAR(10) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT action_status CHECK (status in ('gepland', 'loopt', 'klaar', 'gestopt')), 
	CONSTRAINT action_dates CHECK (end_date is null or start_date is null or end_date >= start_date), 
	FOREIGN KEY(unit_id) REFERENCES unit (id) ON DELETE CASCADE
);
CREATE INDEX ix_action_unit_id ON action (unit_id);
CREATE TABLE indicator_value (
	id INTEGER NOT NULL, 
	unit_id INTEGER NOT NULL, 
	indicator VARCHAR(100) NOT NULL, 
	year INTEGER NOT NULL, 
	value FLOAT NOT NULL, 
	source VARCHAR(200) NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (unit_id, indicator, year), 
	FOREIGN KEY(unit_id) REFERENCES unit (id) ON DELETE CASCADE
);
CREATE INDEX ix_indicator_value_unit_id ON indicator_value (unit_id);
CREATE TABLE unit_geometry (
	unit_id INTEGER NOT NULL, 
	geometry TEXT NOT NULL, 
	source VARCHAR(200) NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (unit_id), 
	FOREIGN KEY(unit_id) REFERENCES unit (id) ON DELETE CASCADE
);
CREATE TABLE theme_position (
	id INTEGER NOT NULL, 
	respondent_id INTEGER NOT NULL, 
	theme_id VARCHAR(40) NOT NULL, 
	position FLOAT, 
	note TEXT NOT NULL, 
	carried_over BOOLEAN NOT NULL, 
	model_version VARCHAR(20) NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (respondent_id, theme_id), 
	CONSTRAINT position_range CHECK (position is null or (position >= 0 and position <= 100)), 
	FOREIGN KEY(respondent_id) REFERENCES respondent (id) ON DELETE CASCADE
);
CREATE INDEX ix_theme_position_respondent_id ON theme_position (respondent_id);
CREATE TABLE answer (
	id INTEGER NOT NULL, 
	respondent_id INTEGER NOT NULL, 
	question_id VARCHAR(40) NOT NULL, 
	option_id VARCHAR(40), 
	note TEXT NOT NULL, 
	carried_over BOOLEAN NOT NULL, 
	model_version VARCHAR(20) NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (respondent_id, question_id), 
	FOREIGN KEY(respondent_id) REFERENCES respondent (id) ON DELETE CASCADE
);
CREATE INDEX ix_answer_respondent_id ON answer (respondent_id);
