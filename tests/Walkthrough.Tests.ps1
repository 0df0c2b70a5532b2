# The whole walk-through (examples/walkthrough.ps1, shown in the README), end to end, under unique names,
# against a private Open vSwitch.
BeforeAll {
    . $PSScriptRoot/Common.ps1
    . $PSScriptRoot/OvsFixture.ps1
    $script:ovs = Start-TestOvs
    $script:prefix = New-TestName 'w' | ForEach-Object { $_.Substring(0, 5) }
    $script:script = Join-Path $PSScriptRoot '../examples/walkthrough.ps1'

    function Invoke-Walkthrough {
        $exe = [Environment]::ProcessPath
        $pre = @()
        if ((Split-Path -Leaf $exe) -ne 'pwsh') { $pre = @(Join-Path $PSHOME 'pwsh.dll') }
        $out = & $exe @pre -NoProfile -NonInteractive -File $script:script -ModulePath $script:NetNsModule -Prefix $script:prefix -OvsDatabase $script:ovs.Database 2>&1 | Out-String
        [pscustomobject]@{ Exit = $LASTEXITCODE; Output = ($out -replace "`e\[[0-9;]*m", '') }
    }
}

AfterAll {
    Remove-TestNamespace "$($prefix)ns1", "$($prefix)ns2"
    Remove-TestLink "veth-$($prefix)ns1", "veth-$($prefix)ns2"
    if ($script:ovs) {
        & ovs-vsctl "--db=$($ovs.Database)" --if-exists del-br "$($prefix)br0" 2>$null
        Stop-TestOvs $script:ovs
    }
}

Describe 'The walk-through end to end' {
    It 'runs all twelve steps, each expectation met, and leaves nothing behind' {
        $r = Invoke-Walkthrough
        $r.Output | Should -Match "ok: both namespaces are listed"
        $r.Output | Should -Match "ok: $($prefix)ns1 holds only lo, DOWN"
        $r.Output | Should -Match "ok: $($prefix)ns1 pings 10\.0\.0\.2"
        $r.Output | Should -Match "ok: $($prefix)ns2 got 10\.0\.0\.1([0-4][0-9]|50) from the range"
        $r.Output | Should -Match 'ok: the server lists the lease'
        $r.Output | Should -Match "ok: $($prefix)ns1 cannot reach $($prefix)ns2 across VLANs 100 and 200"
        $r.Output | Should -Match 'ok: with both ports on VLAN 100 the ping works again'
        $r.Output | Should -Match 'ok: nothing left behind'
        $r.Exit | Should -Be 0
        Test-Path "/run/netns/$($prefix)ns1" | Should -BeFalse
        Test-Path "/sys/class/net/veth-$($prefix)ns1" | Should -BeFalse
        (& ovs-vsctl "--db=$($ovs.Database)" list-br) | Should -Not -Contain "$($prefix)br0"
        @(Get-NetDhcpServer -ErrorAction SilentlyContinue | Where-Object Namespace -like "$prefix*").Count | Should -Be 0
    }

    It 'refuses to start, naming it, when a namespace it would use exists and was not made by it' {
        New-NetNamespace "$($prefix)ns2" | Out-Null
        try {
            $r = Invoke-Walkthrough
            $r.Exit | Should -Be 2
            $r.Output | Should -Match "namespace $($prefix)ns2"
            $r.Output | Should -Match 'Refusing to start'
            Test-Path "/run/netns/$($prefix)ns2" | Should -BeTrue
            Test-Path "/run/netns/$($prefix)ns1" | Should -BeFalse
        } finally { Remove-TestNamespace "$($prefix)ns2" }
    }
}
