# phases.awk - an oracle for the two phases of every read, from `trace
# json` alone.  It follows the definitions of iomux(1), THE TWO PHASES OF A
# READ, with no limit on history, and compares each read's wait_ns,
# copy_ns, wait_how, wait_blocked_in and copy_in with what iomux printed.
# Prints one line per disagreement, then "checked N reads, M wrong".

function num(key,    m) {
	if (match($0, "\"" key "\":-?[0-9]+") == 0)
		return ""
	m = substr($0, RSTART, RLENGTH)
	sub(/^[^:]*:/, "", m)
	return m + 0
}
function str(key,    m) {
	if (match($0, "\"" key "\":\"[^\"]*\"") == 0)
		return ""
	m = substr($0, RSTART, RLENGTH)
	sub(/^[^:]*:"/, "", m)
	sub(/"$/, "", m)
	return m
}
function arg(i,    m, a) {
	match($0, /"args":\[[-0-9]+,[-0-9]+,[-0-9]+\]/)
	m = substr($0, RSTART + 8, RLENGTH - 9)
	split(m, a, ",")
	return a[i] + 0
}
function ask(k, t) {
	if (!(k in askt) || askt[k] == "" || t < askt[k])
		askt[k] = t
}
function needs(k, tid) {	# k wants a new ask; tid's next wait may be it
	need[k] = 1
	owner[k] = tid
}
function add_wait(tid, s, e, c) {
	n = ++nw[tid]
	ws[tid, n] = s; we[tid, n] = e; wc[tid, n] = c
}
# The calls of task tid that were in progress at time a: newest first.
function how_at(tid, a,    i) {
	for (i = nw[tid]; i >= 1; i--) {
		if (ws[tid, i] > a)
			continue
		if (a <= we[tid, i]) {
			blocked_in = wc[tid, i]
			return "blocked"
		}
		return "free"
	}
	return "free"
}
# A waiting call of tid starting at t: what it asks for.
function covers(call, pid, tid, fd, t,    k, kp, items, it, n, i, f, ev) {
	if (call == "select" || call == "poll") {
		n = split(items_of(), it, "}")
		for (i = 1; i <= n; i++) {
			if (it[i] !~ /"out":false/)
				continue
			f = it[i]; sub(/.*"fd":/, "", f); sub(/,.*/, "", f)
			ev = it[i]; sub(/.*"ev":/, "", ev); sub(/,.*/, "", ev)
			if (ev % 2 == 1)	# TI_READ, POLLIN: bit 0
				ask(pid SUBSEP f, t)
		}
	}
	for (k in need) {
		split(k, kp, SUBSEP)
		if (kp[1] != pid || !need[k] || owner[k] != tid)
			continue
		need[k] = 0
		if (call == "epoll_wait" && ep[k] == fd)
			ask(k, t)
		if (call == "rt_sigtimedwait" || call == "rt_sigsuspend")
			ask(k, t)
	}
}
function items_of(    m) {
	if (match($0, /"items":\[[^]]*\]/) == 0)
		return ""
	return substr($0, RSTART, RLENGTH)
}
function accepted(k, tid, nonblock) {
	askt[k] = ""
	nb[k] = nonblock
	ep[k] = -1
	needs(k, tid)
}
# A read on k by tid of data that arrived at a, whose copy ran in call cc
# from cs to ce (the read itself, or the io_uring_enter that posted it).
function check(k, tid, a, cs, ce, cc,    s, w, how, copy, from, got, want) {
	s = (k in askt) ? askt[k] : ""
	if (cc != "io_uring_enter" && (s == "" || s > t))
		s = t			# the read itself asked
	if (s == "")
		return
	checked++
	if (a <= s) {
		w = 0; how = "queued"; blocked_in = ""
	} else {
		w = a - s; blocked_in = ""; how = how_at(tid, a)
	}
	from = a > cs ? a : cs
	copy = ce - from
	got = num("wait_ns") " " num("copy_ns") " " str("wait_how") " " \
	    str("wait_blocked_in") " " str("copy_in")
	want = w " " copy " " how " " blocked_in " " cc
	if (got != want) {
		wrong++
		print "wrong: " call " fd " fd " at " t ": got " got \
		    ", want " want
	}
	askt[k] = ""
	needs(k, tid)
}
{
	t = num("t_ns"); pid = num("pid"); tid = num("tid"); fd = num("fd")
	call = str("call"); ret = num("ret"); dur = num("dur_ns")
	k = pid SUBSEP fd
	if (call == "fork" && ret > 0) {
		for (c in nb) {
			split(c, cp, SUBSEP)
			if (cp[1] == pid)
				accepted(ret SUBSEP cp[2], -1, nb[c])
		}
	} else if (call == "accept4" && ret >= 0) {
		accepted(pid SUBSEP ret, tid, int(arg(2) / 2048) % 2)
	} else if (call == "fcntl" && arg(1) == 4 && (k in nb)) {
		nb[k] = int(arg(2) / 2048) % 2
	} else if (call == "epoll_ctl" && ret == 0) {
		c = pid SUBSEP arg(2)
		ep[c] = arg(1) != 2 && arg(3) % 2 == 1 ? fd : -1
		if (ep[c] >= 0)
			needs(c, tid)
	} else if (call == "sqe" && arg(1) == 10) {
		ask(k, t)
	} else if (call == "cqe" && arg(1) == 13 && ret >= 0) {
		accepted(pid SUBSEP ret, tid, 0)
	} else if (call == "cqe" && arg(1) == 10 && ret > 0) {
		check(k, tid, num("arrival_ns"), enter_s[tid], enter_e[tid],
		    "io_uring_enter")
	}
	if (call == "io_uring_enter") {
		enter_s[tid] = t; enter_e[tid] = t + dur
		if (arg(2) > 0)
			add_wait(tid, t, t + dur, call)
	}
	if (call ~ /^(select|poll|epoll_wait|rt_sigtimedwait|rt_sigsuspend|aio_suspend)$/) {
		add_wait(tid, t, t + dur, call)
		covers(call, pid, tid, fd, t)
	}
	if (call == "recvmsg" || call == "read") {
		# A connection first seen in a read (a fork child's, whose
		# fork may come later in the trace) is taken as blocking.
		if (!(k in nb) || !nb[k])
			add_wait(tid, t, t + dur, call)
		if (ret > 0 && $0 ~ /"arrival_ns"/) {
			check(k, tid, num("arrival_ns"), t, t + dur, call)
		} else if (ret <= 0)
			ask(k, t)
	}
}
END { printf "checked %d reads, %d wrong\n", checked, wrong }
