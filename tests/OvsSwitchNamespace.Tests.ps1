# The single cmdlets against a private Open vSwitch whose ovs-vswitchd runs in its own namespace (tests/LabOvsFixture.ps1):
# Set-OvsConnection -SwitchNamespace, Connect-OvsPort connecting the end in that namespace, one process per port.
BeforeAll {
    . $PSScriptRoot/Common.ps1
    . $PSScriptRoot/LabOvsFixture.ps1
    $script:saved = Get-OvsConnection
    $script:ovs = Start-LabOvs -Prefix 'swnovs'
    $script:sw = $ovs.Namespace
    $script:h1 = New-TestName 'swh'; $script:h2 = New-TestName 'swh'; $script:h3 = New-TestName 'swh'
    $script:br = New-TestName 'swb'
    & ovs-vsctl "--db=unix:$($ovs.Socket)" --timeout=20 add-br $br -- set bridge $br datapath_type=netdev
    Set-OvsConnection -Database "unix:$($ovs.Socket)" -SwitchNamespace $sw -TimeoutSeconds 20

    function Assert-NetNsError($Errors, [string] $ErrorId, [string] $Category) {
        $Errors.Count | Should -BeGreaterThan 0
        $Errors[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $Errors[0].CategoryInfo.Category | Should -Be $Category
    }
}

AfterAll {
    Set-OvsConnection -Database $script:saved.Database -TimeoutSeconds $script:saved.TimeoutSeconds -SwitchNamespace $script:saved.SwitchNamespace
    Remove-TestNamespace @($h1, $h2, $h3)
    if ($script:ovs) { Stop-LabOvs $script:ovs }
}

Describe 'Connect-OvsPort with ovs-vswitchd in its own namespace' {
    It 'keeps the switch namespace in the connection setting' {
        $c = Get-OvsConnection
        $c.SwitchNamespace | Should -Be $sw
        $c.Database | Should -Be "unix:$($ovs.Socket)"
        Set-OvsConnection -SwitchNamespace 'bad/name' -ErrorVariable e -ErrorAction SilentlyContinue
        Assert-NetNsError $e 'InvalidNamespaceName' 'InvalidArgument'
        (Get-OvsConnection).SwitchNamespace | Should -Be $sw
    }

    It 'connects the end in the switch namespace of piped pairs with ONE process per port, and hosts ping through the bridge' {
        $i = 0
        foreach ($h in $h1, $h2) {
            $i++
            $v = @(New-NetNamespace $h | Add-VethPair -Name eth0 -PeerName "v$h" -PeerNamespace $sw | Connect-OvsPort -Bridge $br -Verbose 4>&1)
            $port = $v | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
            $port.Bridge | Should -Be $br
            $port.Name | Should -Be "v$h"
            $port.PeerName | Should -Be 'eth0'
            $port.PeerNamespace | Should -Be $h
            $port.TxChecksumOffload | Should -BeFalse
            $port.OfPort | Should -BeGreaterThan 0
            $lines = @($v | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'ovs-vsctl *' } | ForEach-Object Message)
            @($lines | Where-Object { $_ -notlike '*(in process*' }).Count | Should -Be 1
            @($lines | Where-Object { $_ -like '*add-port*' }).Count | Should -Be 1
            Set-NetLink -Namespace $sw -Name "v$h" -Up
            Set-NetLink -Namespace $h -Name lo -Up
            Set-NetLink -Namespace $h -Name eth0 -Up
            Add-NetAddress -Namespace $h -Name eth0 "10.231.0.$i/24" | Out-Null
        }
        (& ip -n $sw -j link show "v$h1" | ConvertFrom-Json).flags | Should -Contain 'UP'
        (Test-NetNamespaceConnection -Namespace $h1 -Target 10.231.0.2 -Count 1 -TimeoutSeconds 2).Success | Should -BeTrue
        $p = Get-OvsPort -Bridge $br | Where-Object Name -EQ "v$h1"
        $p.PeerNamespace | Should -Be $h1
        $p.Error | Should -BeNullOrEmpty
    }

    It 'refuses a pair with no end in the switch namespace, and a missing link, before touching OVS' {
        New-NetNamespace $h3 | Out-Null
        Add-VethPair -Name a0 -PeerName b0 -Namespace $h3 -PeerNamespace $h3 | Connect-OvsPort -Bridge $br -ErrorVariable e -ErrorAction SilentlyContinue
        Assert-NetNsError $e 'LinkNotInRootNamespace' 'InvalidArgument'
        $e[0].Exception.Message | Should -BeLike "*namespace '$sw'*"
        Connect-OvsPort -Bridge $br -Name (New-TestName 'nx') -ErrorVariable e2 -ErrorAction SilentlyContinue
        Assert-NetNsError $e2 'LinkNotFound' 'ObjectNotFound'
        @(& ovs-vsctl "--db=unix:$($ovs.Socket)" list-ports $br).Count | Should -Be 2
    }
}
