// 就业运行监测大屏: polls /v1/dashboard/data and redraws the charts with plotly (served locally).
(function () {
  "use strict";

  const params = new URLSearchParams(location.hash.slice(1));
  if (params.get("token")) {
    sessionStorage.setItem("suxin-token", params.get("token"));
    history.replaceState(null, "", location.pathname + location.search);
  }
  const token = sessionStorage.getItem("suxin-token");

  const INDUSTRY_GROUPS = {
    college_graduate: "高校毕业生", employment_difficulty: "就业困难人员",
    poverty_alleviated: "脱贫人口", veteran: "退役军人", disabled: "残疾人",
    displaced_by_digital_transformation: "智改数转转岗人员", migrant_worker: "农民工",
  };
  const TRAINING = {
    employment_skills: "就业技能培训·上岗率", entrepreneurship: "创业培训·合格率",
    employee_upskilling: "职工培训·稳岗率",
  };
  const LAYOUT = {
    paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
    font: { color: "#e8eef5", size: 12,
      family: '"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif' },
    margin: { l: 50, r: 16, t: 10, b: 40 }, showlegend: true,
    legend: { orientation: "h", y: -0.2 },
    xaxis: { gridcolor: "#24405e" }, yaxis: { gridcolor: "#24405e" },
  };
  const CONFIG = { displayModeBar: false, responsive: true };
  let cityNames = {};

  const $ = (id) => document.getElementById(id);
  const num = (v) => (v === null || v === undefined ? "—" : Number(v).toLocaleString("zh-CN"));
  const pct = (v) => (v === null || v === undefined ? "—" : (v * 100).toFixed(1) + "%");
  const city = (code) => cityNames[code] || code || "—";
  // A fresh copy per chart: plotly writes into the layout it is given (axis types, ranges).
  const layout = (extra) => JSON.parse(JSON.stringify(Object.assign({}, LAYOUT, extra || {})));
  const FAMILIES = {
    hiring_absorption: "一次性吸纳就业补贴", internship: "就业见习补贴",
    maternity_social_insurance: "生育二孩三孩社保补贴", job_stabilisation: "稳岗返还",
    digital_skills_training: "数字技能培训补贴", training: "职业技能培训补贴",
  };

  function draw(id, traces, extra) {
    Plotly.react($(id), traces, layout(extra), CONFIG);
    $(id).dataset.points = traces.reduce((n, t) => n + (t.x || t.y || []).length, 0);
  }

  function rows(tableId, items, cells) {
    const body = $(tableId).querySelector("tbody");
    body.innerHTML = "";
    if (!items.length) {
      body.innerHTML = '<tr><td colspan="5">暂无</td></tr>';
      return;
    }
    for (const item of items) {
      const tr = document.createElement("tr");
      for (const [text, cls] of cells(item)) {
        const td = document.createElement("td");
        td.textContent = text;
        if (cls) td.className = cls;
        tr.appendChild(td);
      }
      body.appendChild(tr);
    }
  }

  function render(d) {
    cityNames = d.cities;
    const k = d.kpis;
    $("today").textContent = d.today;
    $("kpi-hires").textContent = num(k.hires);
    $("kpi-new-jobs").textContent = num(k.new_jobs_this_year);
    $("kpi-reemployed").textContent = num(k.reemployed_this_year);
    $("kpi-separations").textContent = num(k.separations);
    $("kpi-net").textContent = num(k.net);
    $("kpi-warnings").textContent = num(k.warnings);
    $("kpi-sme-insured").textContent = num(k.specialized_insured);
    $("kpi-compliance").textContent = pct(k.subsidy_compliance);

    const months = d.monthly.map((r) => r.month.slice(0, 7));
    draw("chart-monthly", [
      { type: "bar", name: "城镇新增就业", x: months, y: d.monthly.map((r) => r.new_jobs),
        marker: { color: "#3fa7ff" } },
      { type: "bar", name: "其中再就业", x: months, y: d.monthly.map((r) => r.reemployed),
        marker: { color: "#47d18c" } },
      { type: "scatter", mode: "lines+markers", name: "离职", x: months,
        y: d.monthly.map((r) => r.separations), line: { color: "#ff6b5b" } },
    ], { barmode: "group", xaxis: { type: "category", gridcolor: "#24405e" } });

    const cities = d.by_city.slice().reverse();
    draw("chart-cities", [{
      type: "bar", orientation: "h", name: "新增就业", x: cities.map((r) => r.new_jobs),
      y: cities.map((r) => city(r.city)), marker: { color: "#3fa7ff" },
      text: cities.map((r) => num(r.new_jobs)), textposition: "auto",
    }], { showlegend: false, margin: { l: 70, r: 16, t: 10, b: 30 } });

    const s = d.specialized, t = s.targets, tot = s.total;
    const labels = ["高校毕业生占比", "高技能人才占比", "副高级以上职称占比"];
    draw("chart-sme", [
      { type: "bar", name: "实际", x: labels,
        y: [tot.graduate_share, tot.high_skill_share, tot.senior_title_share].map((v) => v || 0),
        marker: { color: "#3fa7ff" },
        text: [tot.graduate_share, tot.high_skill_share, tot.senior_title_share].map(pct),
        textposition: "auto" },
      { type: "scatter", mode: "markers", name: "2025年目标", x: labels,
        y: [t.graduate_share, t.high_skill_share, t.senior_title_share],
        marker: { color: "#ffc857", size: 14, symbol: "line-ew-open", line: { width: 4 } } },
    ], { yaxis: { tickformat: ".0%", gridcolor: "#24405e", rangemode: "tozero" } });
    $("sme-note").textContent = "专精特新企业在岗 " + num(tot.headcount) + " 人，参保 " +
      num(tot.insured) + " 人（目标 " + num(t.insured_employees) + " 人，完成 " +
      pct(tot.insured_progress) + "）";

    const items = [];
    for (const target of d.targets) {
      for (const it of target.items) {
        if (it.progress === null) continue;
        items.push({ label: (target.region === "32" ? "全省" : city(target.region)) + target.year +
          " " + it.label, progress: it.progress, actual: it.actual, target: it.target });
      }
    }
    draw("chart-targets", [{
      type: "bar", orientation: "h", x: items.map((i) => i.progress),
      y: items.map((i) => i.label), marker: { color: "#47d18c" },
      text: items.map((i) => num(i.actual) + " / " + num(i.target)), textposition: "auto",
      name: "完成进度",
    }], { showlegend: false, margin: { l: 220, r: 16, t: 10, b: 30 },
      xaxis: { tickformat: ".0%", gridcolor: "#24405e", range: [0, 1] } });

    draw("chart-groups", [{
      type: "bar", x: d.by_group.map((r) => INDUSTRY_GROUPS[r.group] || r.group),
      y: d.by_group.map((r) => r.hires), marker: { color: "#a78bfa" }, name: "录用人数",
    }], { showlegend: false });

    const tr = d.training.reduce((acc, r) => {
      const a = acc[r.training_kind] || { n: 0, d: 0 };
      const numerator = { employment_skills: "employed", entrepreneurship: "passed",
        employee_upskilling: "retained" }[r.training_kind];
      if (numerator) { a.n += r[numerator]; a.d += r.completed; }
      acc[r.training_kind] = a;
      return acc;
    }, {});
    const kinds = Object.keys(TRAINING);
    draw("chart-training", [{
      type: "bar", x: kinds.map((k2) => TRAINING[k2]),
      y: kinds.map((k2) => (tr[k2] && tr[k2].d ? tr[k2].n / tr[k2].d : 0)),
      text: kinds.map((k2) => (tr[k2] && tr[k2].d ? pct(tr[k2].n / tr[k2].d) : "—")),
      textposition: "auto", marker: { color: "#ffc857" }, name: "比率",
    }], { showlegend: false, yaxis: { tickformat: ".0%", gridcolor: "#24405e", range: [0, 1] } });

    const flows = d.talent_flows.slice().sort((a, b) => b.net - a.net);
    draw("chart-flows", [{
      type: "bar", x: flows.map((r) => city(r.city)), y: flows.map((r) => r.net),
      marker: { color: flows.map((r) => (r.net >= 0 ? "#47d18c" : "#ff6b5b")) }, name: "净流入",
    }], { showlegend: false });

    const rule = d.warning_rule;
    $("warning-rule").textContent = "规则：近 " + rule.period_months + " 个月在岗人数降幅超过 " +
      pct(rule.headcount_fall_share) + "（期初不少于 " + rule.min_headcount + " 人）";
    rows("table-warnings", d.warnings, (w) => [
      [w.name || w.enterprise_uscc], [city(w.city_code)], [num(w.headcount_before)],
      [num(w.headcount)], [pct(w.fall_share), "bad"],
    ]);
    rows("table-deadlines", d.deadlines, (c) => [
      [city(c.city)], [FAMILIES[c.rule_family] || c.rule_family || "—"], [c.review_deadline],
      [String(c.days_left), c.days_left < 0 ? "bad" : ""],
    ]);
  }

  async function refresh() {
    let delay = 2000;
    try {
      const r = await fetch("/v1/dashboard/data", {
        headers: token ? { Authorization: "Bearer " + token } : {},
      });
      if (!r.ok) throw new Error(r.status === 401 ? "未登录（请在地址后附 #token=…）" : "HTTP " + r.status);
      const d = await r.json();
      render(d);
      delay = d.refresh_ms || delay;
      $("updated").textContent = new Date().toLocaleTimeString("zh-CN");
      $("status").textContent = "实时";
      $("status").className = "status ok";
      document.body.dataset.loaded = "true";
    } catch (e) {
      $("status").textContent = "数据获取失败：" + e.message;
      $("status").className = "status err";
    }
    setTimeout(refresh, delay);
  }
  refresh();
})();
