#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Benchmarks building and tearing down a star of N hosts on one Open vSwitch userspace (netdev) bridge, four ways.
.DESCRIPTION
    For each N (default 10, 50, 100) and each method, Runs times (default 3): build (namespace, veth pair, bridge port,
    lo and inner end up, address, then one ping from host 1 to host N) and teardown, timed separately.
      Lab        New-NetLab / Remove-NetLab (batched: ip -batch, ip -n NS -batch, one ovs-vsctl transaction)
      Pipeline   NetNs single cmdlets, one host per iteration
      Tutorial   bash, one ip / ovs-vsctl process per step (bench/star-tutorial.sh)
      Optimised  bash by hand: ip -batch, one ovs-vsctl transaction (bench/star-optimised.sh)
    Runs against a private Open vSwitch (ovs-vswitchd in its own namespace, tests/OvsFixture.ps1 -InNamespace) that it starts and
    stops. Prints medians, ratios to the hand-optimised script and peak memory (max RSS of the largest process, KiB,
    from /usr/bin/time when installed); writes results.csv, summary.csv and chart.svg to -OutDirectory.
.EXAMPLE
    ./build.ps1 Bench
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/NetNs/NetNs.psd1'),
    [string] $OutDirectory = (Join-Path $PSScriptRoot '../out/bench'),
    [int[]] $Size = @(10, 50, 100),
    [int] $Runs = 3,
    [ValidateSet('Lab', 'Pipeline', 'Tutorial', 'Optimised')]
    [string[]] $Method = @('Lab', 'Pipeline', 'Tutorial', 'Optimised')
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
. (Join-Path $PSScriptRoot '../tests/OvsFixture.ps1')
$ModulePath = (Resolve-Path $ModulePath).Path
New-Item -ItemType Directory -Force -Path $OutDirectory | Out-Null
$exe = [Environment]::ProcessPath
$pwshArgs = @(if ((Split-Path -Leaf $exe) -ne 'pwsh') { [Environment]::GetCommandLineArgs()[0] })
$gnuTime = if (Test-Path /usr/bin/time) { '/usr/bin/time' } else { $null }
$letters = @{ Lab = 'l'; Pipeline = 'p'; Tutorial = 't'; Optimised = 'o' }

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

function Invoke-Run([string] $Name, [int] $N, [int] $Run, $Ovs) {
    $p = "b$($letters[$Name])$Run$token" + 'h'
    if ($Name -in 'Lab', 'Pipeline') {
        $r = Invoke-Measured $exe ($pwshArgs + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'NetNsRun.ps1'),
                '-Method', $Name, '-N', $N, '-Prefix', $p, '-SwitchNamespace', $Ovs.Namespace, '-OvsSocket', $Ovs.Socket, '-ModulePath', $ModulePath))
        if ($r.ExitCode -ne 0) { throw "$Name N=$N failed: $($r.Output -join "`n")" }
        $j = ($r.Output | Where-Object { $_ -like '{*' } | Select-Object -Last 1) | ConvertFrom-Json
        return [pscustomobject]@{ BuildMs = $j.BuildMs; TeardownMs = $j.TeardownMs; PeakKb = if ($r.PeakKb) { $r.PeakKb } else { $j.PeakKb } }
    }
    $script = Join-Path $PSScriptRoot ($(if ($Name -eq 'Tutorial') { 'star-tutorial.sh' } else { 'star-optimised.sh' }))
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $b = Invoke-Measured 'bash' @($script, 'build', $N, $p, $Ovs.Namespace, $Ovs.Socket)
    $buildMs = $sw.Elapsed.TotalMilliseconds
    if ($b.ExitCode -ne 0) { throw "$Name build N=$N failed: $($b.Output -join "`n")" }
    $sw.Restart()
    $t = Invoke-Measured 'bash' @($script, 'teardown', $N, $p, $Ovs.Namespace, $Ovs.Socket)
    $teardownMs = $sw.Elapsed.TotalMilliseconds
    if ($t.ExitCode -ne 0) { throw "$Name teardown N=$N failed: $($t.Output -join "`n")" }
    # Teardown is done when the kernel has really removed the pairs: the scripts wait for it at their end, as Remove-NetLab does.
    [pscustomobject]@{ BuildMs = $buildMs; TeardownMs = $teardownMs; PeakKb = [math]::Max([int]$b.PeakKb, [int]$t.PeakKb) }
}

function Get-Median([double[]] $v) {
    $s = @($v | Sort-Object)
    if ($s.Count % 2) { return $s[[int][math]::Floor($s.Count / 2)] }
    return ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2
}

# Removes whatever a failed run of THIS bench left (names carry its token; the switch-side ends live in its own OVS namespace).
function Clear-Bench($Ovs) {
    foreach ($ns in @(& ip netns list | ForEach-Object { ($_ -split ' ')[0] } | Where-Object { $_ -cmatch "^b[lpto]\d+${token}h\d+$" })) { & ip netns del $ns 2>$null }
    foreach ($f in Get-ChildItem /run/netns-ps/labs -Filter "bench-b*${token}h.json" -ErrorAction Ignore) { Remove-Item $f.FullName }
}

$results = [System.Collections.Generic.List[object]]::new()
$ovs = Start-TestOvs -InNamespace -Prefix 'benchovs'
$started = Get-Date
try {
    foreach ($n in $Size) {
        for ($run = 1; $run -le $Runs; $run++) {
            foreach ($m in $Method) {
                $r = Invoke-Run $m $n $run $ovs
                $results.Add([pscustomobject]@{ Method = $m; N = $n; Run = $run; BuildMs = [math]::Round($r.BuildMs, 1); TeardownMs = [math]::Round($r.TeardownMs, 1); PeakKb = $r.PeakKb })
                Write-Host ("{0,-9} N={1,-4} run {2}: build {3,8:N0} ms  teardown {4,8:N0} ms  peak {5} KiB" -f $m, $n, $run, $r.BuildMs, $r.TeardownMs, $r.PeakKb)
            }
        }
    }
} finally {
    Clear-Bench $ovs
    Stop-TestOvs $ovs
}

$results | Export-Csv -NoTypeInformation (Join-Path $OutDirectory 'results.csv')
$summary = foreach ($n in $Size) {
    $opt = $results | Where-Object { $_.Method -eq 'Optimised' -and $_.N -eq $n }
    $tut = $results | Where-Object { $_.Method -eq 'Tutorial' -and $_.N -eq $n }
    $ob = if ($opt) { Get-Median $opt.BuildMs } else { $null }
    $ot = if ($opt) { Get-Median $opt.TeardownMs } else { $null }
    $tb = if ($tut) { Get-Median $tut.BuildMs } else { $null }
    foreach ($m in $Method) {
        $rs = @($results | Where-Object { $_.Method -eq $m -and $_.N -eq $n })
        $b = Get-Median $rs.BuildMs
        $t = Get-Median $rs.TeardownMs
        [pscustomobject]@{
            Method = $m; N = $n
            BuildMs = [math]::Round($b, 0); TeardownMs = [math]::Round($t, 0)
            BuildPerHostMs = [math]::Round($b / $n, 2)
            BuildVsOptimised = if ($ob) { [math]::Round($b / $ob, 2) } else { $null }
            TeardownVsOptimised = if ($ot) { [math]::Round($t / $ot, 2) } else { $null }
            BuildVsTutorial = if ($tb) { [math]::Round($b / $tb, 2) } else { $null }
            PeakKb = ($rs.PeakKb | Measure-Object -Maximum).Maximum
        }
    }
}
$summary | Export-Csv -NoTypeInformation (Join-Path $OutDirectory 'summary.csv')
Write-Host ''
Write-Host "Medians of $Runs runs (ms; ratios to the hand-optimised script; peak = max RSS of the largest process, KiB):"
$summary | Format-Table -AutoSize | Out-String -Width 200 | Write-Host

# A hand-written SVG: build and teardown time against N, one line per method.
function New-Chart($rows, [string] $Path) {
    $colors = @{ Lab = '#1f77b4'; Pipeline = '#ff7f0e'; Tutorial = '#d62728'; Optimised = '#2ca02c' }
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
$big = $summary | Where-Object N -eq ($Size | Measure-Object -Maximum).Maximum
$lab = $big | Where-Object Method -eq 'Lab'
$pipe = $big | Where-Object Method -eq 'Pipeline'
if ($lab -and $lab.BuildVsOptimised -ne $null) {
    $pipeText = if ($pipe -and $null -ne $pipe.BuildVsTutorial) { "$($pipe.BuildVsTutorial)x" } else { 'n/a' }
    Write-Host ("Targets at N={0}: lab build {1}x optimised (<= 1.0), lab teardown {2}x (<= 1.0), single-cmdlet pipeline {3} tutorial (<= 0.5)" -f $lab.N, $lab.BuildVsOptimised, $lab.TeardownVsOptimised, $pipeText)
}
