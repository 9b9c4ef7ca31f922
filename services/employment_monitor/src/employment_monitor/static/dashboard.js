// 就业运行监测大屏: filters, drill-down, panels and export over /v1/dashboard/data (polled for
// live updates); charts drawn with plotly, served locally.
(function () {
  "use strict";

  const params = new URLSearchParams(location.hash.slice(1));
  if (params.get("token")) {
    sessionStorage.setItem("suxin-token", params.get("token"));
    history.replaceState(null, "", location.pathname + location.search);
  }
  const token = sessionStorage.getItem("suxin-token");
  const auth = token ? { Authorization: "Bearer " + token } : {};

  const FAMILIES = {
    hiring_absorption: "一次性吸纳就业补贴", internship: "就业见习补贴",
    maternity_social_insurance: "生育二孩三孩社保补贴", job_stabilisation: "稳岗返还",
    digital_skills_training: "数字技能培训补贴", training: "职业技能培训补贴",
  };
  const FILTER_NAMES = { city: "城市", district: "县区", industry: "行业", month: "月份" };
  const GRID = "#2b4a6b";
  const LAYOUT = {
    paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
    font: { color: "#e8eef5", size: 12,
      family: '"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif' },
    margin: { l: 10, r: 16, t: 10, b: 10 }, showlegend: true,
    legend: { orientation: "h", y: -0.18 },
    xaxis: { gridcolor: GRID, automargin: true }, yaxis: { gridcolor: GRID, automargin: true },
  };
  const CONFIG = { displayModeBar: false, responsive: true };

  const $ = (id) => document.getElementById(id);
  const num = (v) => (v === null || v === undefined ? "—" : Number(v).toLocaleString("zh-CN"));
  const pct = (v) => (v === null || v === undefined ? "—" : (v * 100).toFixed(1) + "%");
  const ratio = (v) => (v === null || v === undefined ? "—" : Number(v).toFixed(2));
  const yuan = (fen) => (fen === null || fen === undefined ? "—" : (fen / 100).toFixed(2));
  let cityNames = {};
  const city = (code) => cityNames[code] || code || "—";
  const narrow = () => window.innerWidth < 700;
  // A fresh copy per chart: plotly writes into the layout it is given.
  function layout(extra) {
    const out = JSON.parse(JSON.stringify(LAYOUT));
    for (const [k, v] of Object.entries(extra || {})) {
      out[k] = (typeof v === "object" && v && !Array.isArray(v) && out[k])
        ? Object.assign(out[k], v) : v;
    }
    return out;
  }

  // --- filters (kept in the address, so a view can be shared; the token stays in the tab) ---
  const state = { city_code: "", district_code: "", industry_code: "", month: "", year: "" };
  for (const k of Object.keys(state)) state[k] = new URLSearchParams(location.search).get(k) || "";

  function query() {
    const q = new URLSearchParams();
    if (state.district_code) q.set("district_code", state.district_code);
    else if (state.city_code) q.set("city_code", state.city_code);
    if (state.industry_code) q.set("industry_code", state.industry_code);
    if (state.month) { q.set("month_from", state.month + "-01"); q.set("month_to", state.month + "-01"); }
    if (state.year) q.set("year", state.year);
    return q;
  }

  function remember() {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(state)) if (v) q.set(k, v);
    const s = q.toString();
    history.replaceState(null, "", location.pathname + (s ? "?" + s : ""));
  }

  function set(changes) {
    Object.assign(state, changes);
    remember();
    refreshNow();
  }

  function fill(select, items, first, chosen) {
    const keep = select.value;
    select.innerHTML = "";
    if (first) select.appendChild(new Option(first, ""));
    for (const it of items) select.appendChild(new Option(it.name, it.code));
    select.value = chosen !== undefined ? chosen : keep;
  }

  function renderFilters(d) {
    const o = d.options, f = d.filters;
    fill($("f-city"), o.cities, "全省", f.city_code || "");
    fill($("f-district"), o.districts, "全部", f.district_code || "");
    $("f-district").disabled = !f.city_code;
    fill($("f-industry"), o.industries, "全部行业", f.industry_code || "");
    fill($("f-month"), o.months.map((m) => ({ code: m, name: m.replace("-", "年") + "月" })),
      "全部月份", f.month_from && f.month_from === f.month_to ? f.month_from.slice(0, 7) : "");
    const years = Array.from(new Set(o.target_years.concat([Number(d.today.slice(0, 4)), f.year])))
      .sort((a, b) => b - a);
    fill($("f-year"), years.map((y) => ({
      code: String(y), name: y + "年" + (o.target_years.includes(y) ? "" : "（未配置）") })),
      null, String(f.year));
    // breadcrumb: 江苏省 › city › district; every level above the current one drills up.
    const crumbs = $("crumbs");
    crumbs.innerHTML = "";
    const levels = [["江苏省", { city_code: "", district_code: "" }]];
    if (f.city_code) levels.push([city(f.city_code), { city_code: f.city_code, district_code: "" }]);
    if (f.district_code) levels.push([d.scope_name, {}]);
    levels.forEach(([name, change], i) => {
      const li = document.createElement("li");
      if (i === levels.length - 1) {
        const span = document.createElement("span");
        span.textContent = name;
        span.setAttribute("aria-current", "page");
        li.appendChild(span);
      } else {
        const b = document.createElement("button");
        b.type = "button";
        b.textContent = name;
        b.addEventListener("click", () => set(change));
        li.appendChild(b);
      }
      crumbs.appendChild(li);
    });
    for (const p of document.querySelectorAll(".applies")) {
      const applies = d.applies[p.dataset.panel] || [];
      p.textContent = "适用筛选：" + applies.map((a) => FILTER_NAMES[a]).join("、");
    }
  }

  $("f-city").addEventListener("change", (e) => set({ city_code: e.target.value, district_code: "" }));
  $("f-district").addEventListener("change", (e) => set({ district_code: e.target.value }));
  $("f-industry").addEventListener("change", (e) => set({ industry_code: e.target.value }));
  $("f-month").addEventListener("change", (e) => set({ month: e.target.value }));
  $("f-year").addEventListener("change", (e) => set({ year: e.target.value }));
  $("reset").addEventListener("click", () =>
    set({ city_code: "", district_code: "", industry_code: "", month: "", year: "" }));

  function drill(code) {
    if (!code) return;
    if (code.length === 4) set({ city_code: code, district_code: "" });
    else if (code.length === 6) set({ city_code: code.slice(0, 4), district_code: code });
  }

  // --- charts ---------------------------------------------------------------------------------
  // A chart with nothing to show says so instead of drawing empty axes; data-points counts the
  // bars/points with a value, so a test can tell a drawn chart from empty axes.
  function draw(id, traces, extra, emptyText) {
    const el = $(id);
    const zeroOk = extra && extra.zeroOk; // a 0% progress is a figure (its text shows it)
    if (extra) delete extra.zeroOk;
    const points = traces.reduce((n, t) => n + (t.orientation === "h" ? t.x : t.y)
      .filter((v) => v !== null && v !== undefined && (zeroOk || v !== 0)).length, 0);
    el.dataset.points = points;
    let msg = el.previousElementSibling && el.previousElementSibling.classList.contains("empty")
      ? el.previousElementSibling : null;
    if (!points) {
      Plotly.purge(el);
      el.hidden = true;
      if (!msg) {
        msg = document.createElement("p");
        msg.className = "empty";
        el.parentNode.insertBefore(msg, el);
      }
      msg.id = id + "-empty";
      msg.textContent = emptyText || "所选范围内暂无数据";
      return;
    }
    if (msg) msg.remove();
    el.hidden = false;
    Plotly.react(el, traces, layout(extra), CONFIG);
  }

  function hbar(id, labels, values, text, color, extra, emptyText, textposition) {
    // horizontal bars: long Chinese labels get the room they need (automargin), never cut.
    const rows = labels.length;
    $(id).style.height = Math.max(160, 60 + rows * 30) + "px";
    draw(id, [{ type: "bar", orientation: "h", x: values.slice().reverse(),
      y: labels.slice().reverse(), text: text.slice().reverse(),
      textposition: textposition || "auto",
      marker: { color: color }, cliponaxis: false, hoverinfo: "y+x" }],
    Object.assign({ showlegend: false, bargap: 0.3 }, extra || {}), emptyText);
  }

  function rows(tableId, items, cells, empty) {
    const body = $(tableId).querySelector("tbody");
    body.innerHTML = "";
    if (!items.length) {
      const tr = document.createElement("tr");
      const td = document.createElement("td");
      td.colSpan = $(tableId).querySelectorAll("thead th").length;
      td.textContent = empty || "暂无";
      tr.appendChild(td);
      body.appendChild(tr);
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
    renderFilters(d);
    const k = d.kpis;
    $("today").textContent = d.today;
    $("kpi-hires").textContent = num(k.hires);
    $("kpi-new-jobs").textContent = num(k.new_jobs_this_year);
    $("kpi-reemployed").textContent = num(k.reemployed_this_year);
    $("kpi-separations").textContent = num(k.separations);
    $("kpi-net").textContent = num(k.net);
    $("kpi-warnings").textContent = num(k.warnings);
    $("kpi-gig-orders").textContent = num(k.gig_orders);
    $("kpi-covered").textContent = num(k.covered_orders);
    $("kpi-claims").textContent = num(k.claims);
    $("kpi-ratio").textContent = ratio(k.demand_supply_ratio);
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
    ], { barmode: "group", xaxis: { type: "category" } });

    // drill-down: the cities of the province, the districts of a city, or the district.
    const areaWord = d.area_dimension === "city" ? "各设区市" : "各县区";
    $("areas-title").textContent = areaWord + "新增就业（" + d.scope_name + "）";
    hbar("chart-areas", d.by_area.map((r) => r.name), d.by_area.map((r) => r.new_jobs),
      d.by_area.map((r) => num(r.new_jobs)), "#3fa7ff");
    const el = $("chart-areas");
    el.dataset.codes = d.by_area.map((r) => r.code).join(",");
    if (el.on && !el.dataset.bound) {
      el.dataset.bound = "1";
      el.on("plotly_click", (ev) => {
        const label = ev.points[0].y;
        const row = (el._rows || []).find((r) => r.name === label);
        if (row) drill(row.code);
      });
    }
    el._rows = d.by_area;
    const links = $("area-links");
    links.innerHTML = "";
    if (d.level !== "district") {
      for (const r of d.by_area) {
        const li = document.createElement("li");
        const b = document.createElement("button");
        b.type = "button";
        b.textContent = r.name + " " + num(r.new_jobs);
        b.dataset.code = r.code;
        b.setAttribute("aria-label", "查看" + r.name);
        b.addEventListener("click", () => drill(r.code));
        li.appendChild(b);
        links.appendChild(li);
      }
    }

    hbar("chart-groups", d.by_group.map((r) => r.name), d.by_group.map((r) => r.hires),
      d.by_group.map((r) => num(r.hires)), "#a78bfa");

    const g = d.gig;
    draw("chart-gig-orders", [{ type: "bar", x: g.orders_by_status.map((r) => r.name),
      y: g.orders_by_status.map((r) => r.orders), text: g.orders_by_status.map((r) => num(r.orders)),
      textposition: "auto", marker: { color: "#ffc857" }, name: "订单" }],
    { showlegend: false }, "所选范围内暂无零工订单");
    $("gig-note").textContent = "注册零工 " + num(g.workers) + " 人，订单合计 " +
      num(g.total_orders) + " 单";
    draw("chart-gig-claims", [{ type: "bar", x: g.claims_by_stage.map((r) => r.name),
      y: g.claims_by_stage.map((r) => r.claims), text: g.claims_by_stage.map((r) => num(r.claims)),
      textposition: "auto", marker: { color: "#ff8a7d" }, name: "理赔" }],
    { showlegend: false }, "所选范围内暂无职业伤害理赔");
    rows("table-cover", g.cover_by_industry, (r) => [[r.name], [num(r.orders)],
      [yuan(r.contribution_fen)]], "暂无保障订单");

    const sd = d.supply_demand.cities;
    draw("chart-supply", [
      { type: "bar", name: "岗位数", x: sd.map((r) => r.name), y: sd.map((r) => r.positions),
        marker: { color: "#3fa7ff" } },
      { type: "bar", name: "求职人数", x: sd.map((r) => r.name), y: sd.map((r) => r.seekers),
        marker: { color: "#47d18c" } },
      { type: "scatter", mode: "markers+text", name: "求人倍率", x: sd.map((r) => r.name),
        y: sd.map((r) => r.demand_supply_ratio), yaxis: "y2",
        text: sd.map((r) => ratio(r.demand_supply_ratio)), textposition: "top center",
        marker: { color: "#ffc857", size: 10 } },
    ], { barmode: "group", margin: { l: 10, r: 16, t: 24, b: 10 },
      yaxis2: { overlaying: "y", side: "right", showgrid: false, automargin: true,
        range: [0, 1.25 * Math.max(1, ...sd.map((r) => r.demand_supply_ratio || 0))] } },
    "所选范围内暂无岗位与求职数据");

    // training: the counts along the way, per kind, and each kind's outcome rate.
    const tk = d.training_by_kind;
    const steps = [["issued", "发券", "#3fa7ff"], ["completed", "完成培训", "#47d18c"],
      ["certified", "取得证书", "#ffc857"]];
    draw("chart-training", steps.map(([key, name, color]) => ({
      type: "bar", name: name, y: tk.map((r) => r.name), x: tk.map((r) => r[key]),
      orientation: "h", marker: { color: color }, text: tk.map((r) => num(r[key])),
      textposition: "auto" })), { barmode: "group" }, "所选范围内暂无培训记录");
    rows("table-training", tk, (r) => [[r.name], [r.rate_name],
      [r.rate === null ? (r.rate_note ? "需要数据" : "—") : pct(r.rate)]]);
    const notes = tk.filter((r) => r.rate_note).map((r) => r.rate_name + "：" + r.rate_note);
    const tn = $("table-training").querySelector("caption") || $("table-training").createCaption();
    tn.textContent = notes.join("；") || "上岗率 = 上岗 / 完成；合格率 = 合格 / 完成；稳岗率 = 稳岗 / 完成";

    const flows = d.talent_flows.slice().sort((a, b) => b.net - a.net);
    draw("chart-flows", [{
      type: "bar", x: flows.map((r) => r.name), y: flows.map((r) => r.net),
      text: flows.map((r) => "流入" + r.inflow + " 流出" + r.outflow), hoverinfo: "x+text",
      marker: { color: flows.map((r) => (r.net >= 0 ? "#47d18c" : "#ff6b5b")) }, name: "净流入",
    }], { showlegend: false }, "所选范围内暂无苏畅卡持卡人跨市流动记录");

    const items = [];
    for (const target of d.targets) {
      for (const it of target.items) {
        items.push({ label: (target.region === "32" ? "全省" : city(target.region)) + " " + it.label,
          progress: it.progress, actual: it.actual, target: it.target, measured: it.measured });
      }
    }
    $("targets-title").textContent = d.filters.year + "年度目标进度";
    const measured = items.filter((i) => i.measured && i.progress !== null);
    $("targets-note").textContent = d.targets_message
      ? d.targets_message + "（已配置：" + (d.options.target_years.join("、") || "无") + "年）"
      : "共 " + items.length + " 项，其中 " + (items.length - measured.length) + " 项缺少数据";
    // progress as text beside each bar (a 0% bar has no width to hold it)
    const top = Math.max(1, ...measured.map((i) => i.progress || 0));
    hbar("chart-targets", measured.map((i) => i.label), measured.map((i) => i.progress),
      measured.map((i) => pct(i.progress) + " " + num(i.actual) + "/" + num(i.target)),
      "#47d18c", { zeroOk: true, xaxis: { tickformat: ".0%", range: [0, top * 1.9],
        tickvals: [0, 0.5, 1] } },
      d.targets_message || "本年度目标均缺少可计数据", "outside");

    const s = d.specialized, t = s.targets, tot = s.total;
    const labels = ["高校毕业生", "高技能人才", "副高级以上"];
    draw("chart-sme", [
      { type: "bar", name: "实际占比", x: labels,
        y: [tot.graduate_share, tot.high_skill_share, tot.senior_title_share].map((v) => v || 0),
        marker: { color: "#3fa7ff" },
        text: [tot.graduate_share, tot.high_skill_share, tot.senior_title_share].map(pct),
        textposition: "auto" },
      { type: "scatter", mode: "markers", name: t.year + "年目标", x: labels,
        y: [t.graduate_share, t.high_skill_share, t.senior_title_share],
        marker: { color: "#ffc857", size: 14, symbol: "line-ew-open", line: { width: 4 } } },
    ], { yaxis: { tickformat: ".0%", rangemode: "tozero" } }, "所选范围内暂无专精特新企业在岗人员");
    $("sme-note").textContent = "专精特新企业在岗 " + num(tot.headcount) + " 人，参保 " +
      num(tot.insured) + " 人（目标 " + num(t.insured_employees) + " 人，完成 " +
      pct(tot.insured_progress) + "）";

    const rule = d.warning_rule;
    $("warning-rule").textContent = "规则：近 " + rule.period_months + " 个月在岗人数降幅超过 " +
      pct(rule.headcount_fall_share) + "（期初不少于 " + rule.min_headcount + " 人）";
    rows("table-warnings", d.warnings, (w) => [
      [w.name || w.enterprise_uscc], [w.city_name], [num(w.headcount_before)],
      [num(w.headcount)], [pct(w.fall_share), "bad"],
    ]);
    rows("table-deadlines", d.deadlines, (c) => [
      [c.city_name], [FAMILIES[c.rule_family] || c.rule_family || "—"], [c.review_deadline],
      [String(c.days_left), c.days_left < 0 ? "bad" : ""],
    ]);
  }

  // --- polling (live updates) -----------------------------------------------------------------
  let timer = null, seq = 0, delay = 2000;

  async function refresh() {
    const mine = ++seq;
    clearTimeout(timer);
    document.body.dataset.loaded = document.body.dataset.loaded || "false";
    try {
      const r = await fetch("/v1/dashboard/data?" + query().toString(), { headers: auth });
      if (!r.ok) {
        let detail = "";
        try { detail = (await r.json()).detail || ""; } catch (e) { /* not json */ }
        throw new Error(r.status === 401 ? "未登录（请在地址后附 #token=…）" : "HTTP " + r.status + " " + detail);
      }
      const d = await r.json();
      if (mine !== seq) return; // a newer request (filters changed) answers instead
      render(d);
      delay = d.refresh_ms || delay;
      $("updated").textContent = new Date().toLocaleTimeString("zh-CN");
      $("status").textContent = "实时";
      $("status").className = "status ok";
      document.body.dataset.loaded = "true";
      document.body.dataset.view = query().toString();
    } catch (e) {
      if (mine !== seq) return;
      $("status").textContent = "数据获取失败：" + e.message;
      $("status").className = "status err";
    }
    if (mine === seq) timer = setTimeout(refresh, delay);
  }

  function refreshNow() {
    document.body.dataset.view = "loading";
    refresh();
  }

  // --- export: exactly the view on screen (same filters and year) -----------------------------
  async function download(format) {
    const q = query();
    q.set("format", format);
    const r = await fetch("/v1/dashboard/export?" + q.toString(), { headers: auth });
    if (!r.ok) {
      $("status").textContent = "导出失败：HTTP " + r.status;
      $("status").className = "status err";
      return;
    }
    const cd = r.headers.get("Content-Disposition") || "";
    const m = /filename\*=UTF-8''([^;]+)/.exec(cd);
    const name = m ? decodeURIComponent(m[1]) : "dashboard." + format;
    const url = URL.createObjectURL(await r.blob());
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
  $("export-csv").addEventListener("click", () => download("csv"));
  $("export-xlsx").addEventListener("click", () => download("xlsx"));

  refresh();
})();
