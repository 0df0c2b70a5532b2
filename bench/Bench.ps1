#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Benchmarks building and tearing down a star of N hosts on one Open vSwitch userspace (netdev) bridge, against the
    strongest baselines, all in the same run.
.DESCRIPTION
    For each N (default 10, 100, 500, 1000) and each method, Runs times (default 3): build (namespace, veth pair, bridge
    port, lo and inner end up, address) timed until host 1 reaches host N (one ping a second until it answers, as every
    method does; the failed pings are counted as Retries), and teardown, timed until the veth pairs are gone.
      Lab        New-NetLab / Remove-NetLab in a fresh pwsh: Cold = the first call after Import-Module;
      LabWarm    the second build in the same pwsh
      Pipeline   NetNs single cmdlets, one host per iteration (N <= 250)
      Tutorial   bash, one ip / ovs-vsctl process per step (bench/star-tutorial.sh; N <= 250)
      Optimised  bash as a careful engineer writes it (bench/star-optimised.sh): ip -batch, one ovs-vsctl transaction, the
                 per-namespace ip -n NS -batch processes in parallel, no IPv6 link-local addresses
      Pyroute2   the best peer: pyroute2 (Debian python3-pyroute2) in one python process, the same ovs-vsctl transaction
                 (bench/star-pyroute2.py)
    Runs against a private Open vSwitch (ovs-vswitchd in its own namespace, tests/LabOvsFixture.ps1) that it starts and
    stops. Prints medians, ratios to the hand-optimised script and to pyroute2, peak memory (max RSS, KiB) and every
    target with PASS/FAIL; writes results.csv, summary.csv and chart.svg to -OutDirectory.
.EXAMPLE
    ./build.ps1 Bench
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/NetNs/NetNs.psd1'),
    [string] $OutDirectory = (Join-Path $PSScriptRoot '../out/bench'),
    [int[]] $Size = @(10, 100, 500, 1000),
    [int] $Runs = 3,
    [ValidateSet('Lab', 'Pipeline', 'Tutorial', 'Optimised', 'Pyroute2')]
    [string[]] $Method = @('Lab', 'Pipeline', 'Tutorial', 'Optimised', 'Pyroute2'),
    # The tutorial script and the single-cmdlet pipeline take minutes beyond this size: they run up to it only.
    [int] $SlowMethodMaxSize = 250
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
. (Join-Path $PSScriptRoot '../tests/LabOvsFixture.ps1')
$ModulePath = (Resolve-Path $ModulePath).Path
New-Item -ItemType Directory -Force -Path $OutDirectory | Out-Null
$exe = [Environment]::ProcessPath
$pwshArgs = @(if ((Split-Path -Leaf $exe) -ne 'pwsh') { [Environment]::GetCommandLineArgs()[0] })
$gnuTime = if (Test-Path /usr/bin/time) { '/usr/bin/time' } else { $null }
$letters = @{ Lab = 'l'; Pipeline = 'p'; Tutorial = 't'; Optimised = 'o'; Pyroute2 = 'y' }
# Debian's python3 (pyroute2 is a Debian package; a python3 earlier on PATH, e.g. pyenv's, does not have it).
$python = '/usr/bin/python3'
if ('Pyroute2' -in $Method -and -not (Test-Path $python)) { throw "$python not found: install python3-pyroute2 (./build.ps1 Bench does)." }

# Runs a process, optionally under GNU time for the peak RSS; returns stdout, exit code and peak KiB.
function Invoke-Measured([string] $File, [string[]] $Arguments) {
    $memFile = [IO.Path]::GetTempFileName()
    try {
        if ($gnuTime) { $out = & $gnuTime -f '%M' -o $memFile $File @Arguments 2>&1 } else { $out = & $File @Arguments 2>&1 }
        $code = $LASTEXITCODE
        $peak = if ($gnuTime) { [int]((Get-Content $memFile | Select-Object -Last 1)) } else { $null }
        [pscustomobject]@{ Output = @($out | ForEach-Object ToString); ExitCode = $code; PeakKb = $peak }
    } finally { Remove-Item $memFile -ErrorAction Ignore }
}

# Names of this bench run carry a random token, so that two benches (or a test run) on one machine never meet.
$token = -join (1..3 | ForEach-Object { [char](Get-Random -Minimum 97 -Maximum 123) })

# Returns one row per build: Method (Lab gives Lab and LabWarm), BuildMs, TeardownMs, Retries, PeakKb.
function Invoke-Run([string] $Name, [int] $N, [int] $Run, $Ovs) {
    $p = "b$($letters[$Name])$Run$token" + 'h'
    if ($Name -in 'Lab', 'Pipeline') {
        $r = Invoke-Measured $exe ($pwshArgs + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'NetNsRun.ps1'),
                '-Method', $Name, '-N', $N, '-Prefix', $p, '-SwitchNamespace', $Ovs.Namespace, '-OvsSocket', $Ovs.Socket, '-ModulePath', $ModulePath))
        if ($r.ExitCode -ne 0) { throw "$Name N=$N failed: $($r.Output -join "`n")" }
        foreach ($j in @($r.Output | Where-Object { $_ -like '{*' } | ForEach-Object { $_ | ConvertFrom-Json })) {
            # The pwsh's own high-water mark (VmHWM) after the build it reports.
            [pscustomobject]@{ Method = if ($j.Phase -eq 'Warm') { "${Name}Warm" } else { $Name }; BuildMs = $j.BuildMs; TeardownMs = $j.TeardownMs; Retries = $j.Retries; PeakKb = $j.PeakKb }
        }
        return
    }
    $file, $script = switch ($Name) {
        'Tutorial' { 'bash', (Join-Path $PSScriptRoot 'star-tutorial.sh') }
        'Optimised' { 'bash', (Join-Path $PSScriptRoot 'star-optimised.sh') }
        'Pyroute2' { $python, (Join-Path $PSScriptRoot 'star-pyroute2.py') }
    }
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $b = Invoke-Measured $file @($script, 'build', $N, $p, $Ovs.Namespace, $Ovs.Socket)
    $buildMs = $sw.Elapsed.TotalMilliseconds
    if ($b.ExitCode -ne 0) { throw "$Name build N=$N failed: $($b.Output -join "`n")" }
    $retries = ($b.Output | Where-Object { $_ -match '^retries=(\d+)$' } | ForEach-Object { [int]$Matches[1] } | Select-Object -Last 1)
    $sw.Restart()
    $t = Invoke-Measured $file @($script, 'teardown', $N, $p, $Ovs.Namespace, $Ovs.Socket)
    $teardownMs = $sw.Elapsed.TotalMilliseconds
    if ($t.ExitCode -ne 0) { throw "$Name teardown N=$N failed: $($t.Output -join "`n")" }
    # Teardown is done when the kernel has really removed the pairs: the scripts wait for it at their end, as Remove-NetLab does.
    [pscustomobject]@{ Method = $Name; BuildMs = $buildMs; TeardownMs = $teardownMs; Retries = $retries; PeakKb = [math]::Max([int]$b.PeakKb, [int]$t.PeakKb) }
}

function Get-Median([double[]] $v) {
    $s = @($v | Sort-Object)
    if ($s.Count -eq 0) { return $null }
    if ($s.Count % 2) { return $s[[int][math]::Floor($s.Count / 2)] }
    return ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2
}

# Removes whatever a failed run of THIS bench left (names carry its token; the switch-side ends live in its own OVS namespace).
function Clear-Bench($Ovs) {
    foreach ($ns in @(& ip netns list | ForEach-Object { ($_ -split ' ')[0] } | Where-Object { $_ -cmatch "^b[lptoy]\d+${token}[hw]\d+$" })) { & ip netns del $ns 2>$null }
    foreach ($f in Get-ChildItem /run/netns-ps/labs -Filter "bench-b*${token}*.json" -ErrorAction Ignore) { Remove-Item $f.FullName }
}

$results = [System.Collections.Generic.List[object]]::new()
$failures = [System.Collections.Generic.List[string]]::new()
$ovs = Start-LabOvs -Prefix 'benchovs'
$started = Get-Date
try {
    foreach ($n in $Size) {
        for ($run = 1; $run -le $Runs; $run++) {
            foreach ($m in $Method) {
                if ($m -in 'Tutorial', 'Pipeline' -and $n -gt $SlowMethodMaxSize) { continue }
                try {
                    $rows = @(Invoke-Run $m $n $run $ovs)
                } catch {
                    # A failed build is a result too (the 1,000-host target asks for none): recorded, cleaned, and the bench goes on.
                    $failures.Add("$m N=$n run $run`: $($_.Exception.Message -split "`n" | Select-Object -First 3)")
                    Write-Host "$m N=$n run $run FAILED: $($_.Exception.Message -split "`n" | Select-Object -First 3)" -ForegroundColor Red
                    Clear-Bench $ovs
                    & ovs-vsctl "--db=unix:$($ovs.Socket)" --timeout=60 --if-exists del-br "b$($letters[$m])$run${token}hbr" 2>$null
                    continue
                }
                foreach ($r in $rows) {
                    $results.Add([pscustomobject]@{ Method = $r.Method; N = $n; Run = $run; BuildMs = [math]::Round($r.BuildMs, 1); TeardownMs = [math]::Round($r.TeardownMs, 1); Retries = $r.Retries; PeakKb = $r.PeakKb })
                    Write-Host ("{0,-9} N={1,-5} run {2}: build {3,8:N0} ms ({4} retries)  teardown {5,8:N0} ms  peak {6} KiB" -f $r.Method, $n, $run, $r.BuildMs, $r.Retries, $r.TeardownMs, $r.PeakKb)
                }
            }
        }
    }
} finally {
    Clear-Bench $ovs
    Stop-LabOvs $ovs
}

$results | Export-Csv -NoTypeInformation (Join-Path $OutDirectory 'results.csv')
$methods = @($results.Method | Select-Object -Unique)
$summary = foreach ($n in $Size) {
    $median = { param($m, $col) Get-Median @($results | Where-Object { $_.Method -eq $m -and $_.N -eq $n } | ForEach-Object $col) }
    $ob = & $median 'Optimised' 'BuildMs'; $ot = & $median 'Optimised' 'TeardownMs'
    $yb = & $median 'Pyroute2' 'BuildMs'; $yt = & $median 'Pyroute2' 'TeardownMs'
    $tb = & $median 'Tutorial' 'BuildMs'; $tt = & $median 'Tutorial' 'TeardownMs'
    foreach ($m in $methods) {
        $rs = @($results | Where-Object { $_.Method -eq $m -and $_.N -eq $n })
        if ($rs.Count -eq 0) { continue }
        $b = Get-Median $rs.BuildMs
        $t = Get-Median $rs.TeardownMs
        $ratio = { param($x, $y) if ($y) { [math]::Round($x / $y, 2) } else { $null } }
        [pscustomobject]@{
            Method = $m; N = $n
            BuildMs = [math]::Round($b, 0); TeardownMs = [math]::Round($t, 0)
            BuildPerHostMs = [math]::Round($b / $n, 2)
            Retries = (@($rs | ForEach-Object Retries | Where-Object { $null -ne $_ }) | Measure-Object -Maximum).Maximum
            BuildVsOptimised = & $ratio $b $ob; TeardownVsOptimised = & $ratio $t $ot
            BuildVsPyroute2 = & $ratio $b $yb; TeardownVsPyroute2 = & $ratio $t $yt
            BuildVsTutorial = & $ratio $b $tb; TeardownVsTutorial = & $ratio $t $tt
            PeakKb = ($rs.PeakKb | Measure-Object -Maximum).Maximum
        }
    }
}
$summary | Export-Csv -NoTypeInformation (Join-Path $OutDirectory 'summary.csv')
Write-Host ''
Write-Host "Medians of $Runs runs, $(Get-Date -Format 'yyyy-MM-dd HH:mm') UTC, $(nproc) cores (ms; build ends when host 1 reaches host N, teardown when the veth pairs are gone; peak = max RSS, KiB):"
$summary | Format-Table -AutoSize | Out-String -Width 250 | Write-Host

# A hand-written SVG: build and teardown time against N, one line per method.
function New-Chart($rows, [string] $Path) {
    $colors = @{ Lab = '#1f77b4'; LabWarm = '#17becf'; Pipeline = '#ff7f0e'; Tutorial = '#d62728'; Optimised = '#2ca02c'; Pyroute2 = '#9467bd' }
    $w = 440; $h = 300; $ml = 60; $mb = 40; $mt = 30; $mr = 10
    $maxN = ($rows.N | Measure-Object -Maximum).Maximum
    $sb = [Text.StringBuilder]::new()
    $null = $sb.Append("<svg xmlns='http://www.w3.org/2000/svg' width='$(2 * $w + 140)' height='$($h + 20)' font-family='Helvetica,Arial,sans-serif' font-size='11'>`n")
    $panel = 0
    foreach ($metric in 'BuildMs', 'TeardownMs') {
        $x0 = $panel * $w
        $maxY = [math]::Max(1, ($rows.$metric | Measure-Object -Maximum).Maximum) / 1000
        $sx = { param($n) $x0 + $ml + ($w - $ml - $mr) * $n / $maxN }
        $sy = { param($s) $mt + ($h - $mt - $mb) * (1 - $s / $maxY) }
        $title = if ($metric -eq 'BuildMs') { 'Build + ping (s, median)' } else { 'Teardown (s, median)' }
        $null = $sb.Append("<text x='$($x0 + $ml)' y='18' font-size='13' font-weight='bold'>$title</text>`n")
        $null = $sb.Append("<line x1='$($x0 + $ml)' y1='$($h - $mb)' x2='$($x0 + $w - $mr)' y2='$($h - $mb)' stroke='black'/><line x1='$($x0 + $ml)' y1='$mt' x2='$($x0 + $ml)' y2='$($h - $mb)' stroke='black'/>`n")
        foreach ($k in 0..4) {
            $v = $maxY * $k / 4; $y = & $sy $v
            $null = $sb.Append(("<text x='{0}' y='{1:F1}' text-anchor='end'>{2:0.##}</text><line x1='{3}' y1='{1:F1}' x2='{4}' y2='{1:F1}' stroke='#ddd'/>`n" -f ($x0 + $ml - 4), $y, $v, ($x0 + $ml), ($x0 + $w - $mr)))
        }
        foreach ($n in ($rows.N | Sort-Object -Unique)) {
            $null = $sb.Append(("<text x='{0:F1}' y='{1}' text-anchor='middle'>{2}</text>`n" -f (& $sx $n), ($h - $mb + 14), $n))
        }
        $null = $sb.Append("<text x='$($x0 + $ml + ($w - $ml) / 2)' y='$($h - 6)' text-anchor='middle'>hosts (N)</text>`n")
        foreach ($m in ($rows.Method | Select-Object -Unique)) {
            $pts = ($rows | Where-Object Method -eq $m | Sort-Object N | ForEach-Object { '{0:F1},{1:F1}' -f (& $sx $_.N), (& $sy ($_.$metric / 1000)) }) -join ' '
            $null = $sb.Append("<polyline fill='none' stroke='$($colors[$m])' stroke-width='2' points='$pts'/>`n")
            foreach ($pt in $pts -split ' ') { $xy = $pt -split ','; $null = $sb.Append("<circle cx='$($xy[0])' cy='$($xy[1])' r='3' fill='$($colors[$m])'/>`n") }
        }
        $panel++
    }
    $ly = 40
    foreach ($m in ($rows.Method | Select-Object -Unique)) {
        $null = $sb.Append("<rect x='$(2 * $w + 10)' y='$($ly - 9)' width='12' height='12' fill='$($colors[$m])'/><text x='$(2 * $w + 28)' y='$ly'>$m</text>`n")
        $ly += 18
    }
    $null = $sb.Append("</svg>`n")
    Set-Content -Path $Path -Value $sb.ToString() -NoNewline
}
New-Chart $summary (Join-Path $OutDirectory 'chart.svg')
$elapsed = (Get-Date) - $started
Write-Host "CSV: $(Join-Path $OutDirectory 'results.csv'), $(Join-Path $OutDirectory 'summary.csv'); chart: $(Join-Path $OutDirectory 'chart.svg'); bench time $([math]::Round($elapsed.TotalSeconds)) s"
# The targets (issue 13), each with its measured ratio and PASS/FAIL. A target whose inputs were not measured is skipped.
function Get-Row([string] $M, [int] $N) { $summary | Where-Object { $_.Method -eq $M -and $_.N -eq $N } | Select-Object -First 1 }
$targets = [System.Collections.Generic.List[object]]::new()
function Add-Target([string] $Text, $Value, [double] $Limit) {
    if ($null -eq $Value) { return }
    $targets.Add([pscustomobject]@{ Target = $Text; Measured = $Value; Limit = "<= $Limit"; Result = if ($Value -le $Limit) { 'PASS' } else { 'FAIL' } })
}
if ($r = Get-Row 'Lab' 100) { Add-Target 'N=100 lab build, cold, vs hand-optimised' $r.BuildVsOptimised 0.8; Add-Target 'N=100 lab teardown vs hand-optimised' $r.TeardownVsOptimised 1.0 }
if ($r = Get-Row 'LabWarm' 100) { Add-Target 'N=100 lab build, warm, vs hand-optimised' $r.BuildVsOptimised 0.6 }
foreach ($n in 500, 1000) {
    if ($r = Get-Row 'Lab' $n) { Add-Target "N=$n lab build (until the ping) vs hand-optimised" $r.BuildVsOptimised 0.4; Add-Target "N=$n lab teardown vs hand-optimised" $r.TeardownVsOptimised 1.0 }
}
if ((Get-Row 'Lab' 100) -and (Get-Row 'Lab' 1000)) {
    Add-Target 'lab per-host build cost N=1000 / N=100' ([math]::Round((Get-Row 'Lab' 1000).BuildPerHostMs / (Get-Row 'Lab' 100).BuildPerHostMs, 2)) 1.5
}
if ($r = Get-Row 'Lab' 1000) { Add-Target 'peak memory of the pwsh building 1,000 hosts (MB)' ([math]::Round($r.PeakKb / 1024, 0)) 300 }
if (1000 -in $Size -and 'Lab' -in $Method) {
    $labFails = @($failures | Where-Object { $_ -like 'Lab* N=1000 *' }).Count
    Add-Target '1,000-host lab builds, pings and tears down without error (failed runs)' $labFails 0
}
$pipeN = @($summary | Where-Object { $_.Method -eq 'Pipeline' -and $null -ne $_.BuildVsTutorial } | Sort-Object N | Select-Object -Last 1)
if ($pipeN) { Add-Target "N=$($pipeN.N) single-cmdlet pipeline build vs tutorial" $pipeN.BuildVsTutorial 0.4; Add-Target "N=$($pipeN.N) single-cmdlet pipeline teardown vs tutorial" $pipeN.TeardownVsTutorial 1.0 }
Write-Host 'Targets (ratios from this run):'
$targets | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
$targets | Export-Csv -NoTypeInformation (Join-Path $OutDirectory 'targets.csv')
if ($failures.Count -gt 0) { Write-Host "Failed runs:`n  $($failures -join "`n  ")" -ForegroundColor Red }
